import type { EntityManager } from '@mikro-orm/postgresql';
import { createRemoteJWKSet, customFetch, decodeJwt, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { selectRows } from '../../core/sql/rows.js';
import { toOrgRow, type OrgRow } from '../org/org.rows.js';
import type { AuthFailureLimiter } from './auth-failures.js';
import type { Caller } from './caller.js';
import { LruCache } from './lru-cache.js';
import { assertPublicProviderUrl } from './provider-address.js';
import { isFetchableProviderUrl, MAX_ISSUER_CHARS, staffMemberOf, type StaffIdentityProviderRow } from './staff-idp.js';
import { toStaffIdentityProviderRow } from './staff-idp.service.js';

/** Signature algorithms a staff token may use: asymmetric only, never `none` or a shared secret (HS*). */
export const STAFF_TOKEN_ALGORITHMS = ['RS256', 'ES256', 'PS256'];
/** Seconds of clock difference with the provider tolerated on `exp` and `nbf`. */
export const STAFF_TOKEN_CLOCK_TOLERANCE_S = 30;
/** How long the providers of an issuer (or the absence of any) are trusted without reading them again. */
const PROVIDER_CACHE_MS = 10_000;
/** How long an issuer's discovered key set is used before discovery runs again. */
const DISCOVERY_CACHE_MS = 60 * 60_000;
/** After a failed discovery, how long requests fail at once instead of asking the provider again. */
const DISCOVERY_RETRY_MS = 30_000;
/** A provider's metadata or key set must arrive within this time and size. */
const FETCH_TIMEOUT_MS = 5_000;
const MAX_DOCUMENT_BYTES = 256 * 1024;
const CACHE_CAPACITY = 1_000;

export type StaffAuthentication =
  | { readonly kind: 'ok'; readonly caller: Caller }
  /** Not a JWT, or its issuer and audience are no org's staff provider: another kind of token (an API key, a customer's). */
  | { readonly kind: 'not-staff' }
  /** 401: the token is not valid (signature, audience, expiry, …); 403: valid, but its bearer may not act for the org. */
  | { readonly kind: 'refused'; readonly status: 401 | 403; readonly message: string }
  | { readonly kind: 'throttled'; readonly retryAfterSeconds: number };

type Verdict = { readonly kind: 'ok'; readonly caller: Caller } | { readonly kind: 'refused'; readonly status: 401 | 403; readonly message: string };

interface ProviderOfOrg {
  readonly provider: StaffIdentityProviderRow;
  readonly org: OrgRow;
}

interface Cached<T> {
  readonly value: T;
  until: number;
}

/** Three base64url parts separated by dots: the shape of a signed JWT (a JWS in compact form). */
function looksLikeJwt(token: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token);
}

/** The `iss` a JWT claims, unverified: it only says which provider's keys to verify it with. */
function claimedIssuer(token: string): string | undefined {
  try {
    const { iss } = decodeJwt(token);
    return typeof iss === 'string' && iss.length <= MAX_ISSUER_CHARS ? iss : undefined;
  } catch {
    return undefined;
  }
}

/** The providers of the token's (unverified) audience: the orgs it claims to be for. */
function forAudience(token: string, providers: readonly ProviderOfOrg[]): readonly ProviderOfOrg[] {
  if (providers.length === 0) return providers;
  const { aud } = decodeJwt(token);
  const audiences = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud : [];
  return providers.filter(({ provider }) => audiences.includes(provider.audience));
}

/** Reads a response's body up to `maxBytes`; a larger one is refused without reading the rest. */
async function boundedBody(response: Response, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > maxBytes) throw new Error(`the provider's answer is larger than ${maxBytes} bytes`);
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (response.body) {
    for await (const chunk of response.body) {
      size += chunk.byteLength;
      if (size > maxBytes) throw new Error(`the provider's answer is larger than ${maxBytes} bytes`);
      chunks.push(chunk);
    }
  }
  return Buffer.concat(chunks);
}

/**
 * fetch, with redirects refused, the body bounded and only public addresses reached (an https
 * provider on this machine or a private network is refused); what jose fetches key sets with.
 */
async function boundedFetch(url: string, init: RequestInit = {}): Promise<Response> {
  await assertPublicProviderUrl(url);
  const response = await fetch(url, { ...init, redirect: 'manual', signal: init.signal ?? AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  const body = await boundedBody(response, MAX_DOCUMENT_BYTES);
  return new Response(response.status === 204 ? null : body, { status: response.status, headers: response.headers });
}

/**
 * The key set of an issuer, from its discovery document (`<issuer>/.well-known/openid-configuration`,
 * whose `issuer` must be the issuer itself) and its `jwks_uri`: both fetched within a timeout and a
 * size bound, over https (http to this machine only).
 */
async function discoverKeys(issuer: string): Promise<JWTVerifyGetKey> {
  const response = await boundedFetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, { headers: { accept: 'application/json' } });
  if (response.status !== 200) throw new Error(`discovery answered ${response.status}`);
  const metadata = (await response.json()) as { issuer?: unknown; jwks_uri?: unknown };
  if (metadata.issuer !== issuer) throw new Error('the discovery document names another issuer');
  if (typeof metadata.jwks_uri !== 'string' || !isFetchableProviderUrl(metadata.jwks_uri)) throw new Error('the discovery document has no usable jwks_uri');
  return createRemoteJWKSet(new URL(metadata.jwks_uri), {
    timeoutDuration: FETCH_TIMEOUT_MS,
    [customFetch]: (url, options) => boundedFetch(url, options),
  });
}

/** Why jose refused a token, in a sentence for its bearer. */
function refusalOf(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'The token has expired: sign in again.';
  if (error instanceof errors.JWTClaimValidationFailed) return `The token's "${error.claim}" claim is not acceptable (${error.reason}).`;
  if (error instanceof errors.JOSEAlgNotAllowed) return `Tokens signed with this algorithm are not accepted (only ${STAFF_TOKEN_ALGORITHMS.join(', ')}).`;
  if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey) return "The token's signature does not verify with its issuer's published keys.";
  if (error instanceof errors.JOSEError) return `The token is not valid (${error.code}).`;
  return "The token could not be checked: the identity provider's keys are unavailable.";
}

/**
 * Staff members' tokens from their org's OpenID Connect provider. A bearer that is a JWT whose
 * `iss` is some org's provider is verified with that issuer's published keys (discovered once an
 * hour; jose refetches the key set when a token names an unknown key), for the org whose audience
 * it carries, and judged by that org's rules (`staffMemberOf`). Bad tokens count against the
 * client's address like bad API keys.
 */
export class StaffAuthenticator {
  private readonly providers = new LruCache<string, Cached<readonly ProviderOfOrg[]>>(CACHE_CAPACITY);
  private readonly keys = new LruCache<string, Cached<Promise<JWTVerifyGetKey>>>(CACHE_CAPACITY);

  constructor(
    private readonly emFactory: () => EntityManager,
    private readonly failures?: AuthFailureLimiter,
  ) {}

  async authenticate(token: string, client: string): Promise<StaffAuthentication> {
    const issuer = looksLikeJwt(token) ? claimedIssuer(token) : undefined;
    const providers = issuer === undefined ? [] : forAudience(token, await this.providersOf(issuer));
    // Only a token naming a configured issuer and audience is claimed: an org naming some issuer
    // must not take every other token of that issuer (another audience's) from their own checks.
    if (issuer === undefined || providers.length === 0) return { kind: 'not-staff' };
    if (this.failures) {
      const wait = await this.failures.retryAfterSeconds(client);
      if (wait > 0) return { kind: 'throttled', retryAfterSeconds: wait };
    }
    const verdict = await this.verify(token, issuer, providers);
    if (verdict.kind === 'ok') return verdict;
    const wait = (await this.failures?.recordFailure(client)) ?? 0;
    return wait > 0 ? { kind: 'throttled', retryAfterSeconds: wait } : verdict;
  }

  /** The caller a token stands for now (null once it expired, or its org's provider changed or went): open WebSockets check theirs with it. */
  async recheck(token: string): Promise<Caller | null> {
    const issuer = claimedIssuer(token);
    const providers = issuer === undefined ? [] : forAudience(token, await this.providersOf(issuer));
    if (issuer === undefined || providers.length === 0) return null;
    const verdict = await this.verify(token, issuer, providers);
    return verdict.kind === 'ok' ? verdict.caller : null;
  }

  private async verify(token: string, issuer: string, providers: readonly ProviderOfOrg[]): Promise<Verdict> {
    if (providers.length !== 1) return { kind: 'refused', status: 401, message: 'The token names several orgs in its audience.' };
    const [{ provider, org }] = providers;
    let claims: JWTPayload;
    try {
      ({ payload: claims } = await jwtVerify(token, await this.keysOf(issuer), {
        issuer,
        audience: provider.audience,
        algorithms: STAFF_TOKEN_ALGORITHMS,
        clockTolerance: STAFF_TOKEN_CLOCK_TOLERANCE_S,
        requiredClaims: ['exp'],
      }));
    } catch (error) {
      return { kind: 'refused', status: 401, message: refusalOf(error) };
    }
    const member = staffMemberOf(claims, provider);
    if (!member.ok) return { kind: 'refused', status: 403, message: member.message };
    return { kind: 'ok', caller: { org, role: member.role, apiKeyId: null, actor: `staff:${member.email}` } };
  }

  /** The orgs whose staff provider has this issuer, with their org rows (cached, misses too). */
  private async providersOf(issuer: string): Promise<readonly ProviderOfOrg[]> {
    const cached = this.providers.get(issuer);
    if (cached && cached.until > Date.now()) return cached.value;
    const em = this.emFactory();
    const providers = (await selectRows(em, 'select * from staff_identity_provider where issuer = ?', [issuer])).map(toStaffIdentityProviderRow);
    const orgs = providers.length === 0 ? [] : (await selectRows(em, 'select * from org where id = any(?::bigint[])', [providers.map((provider) => provider.orgId)])).map(toOrgRow);
    const value = providers.flatMap((provider) => {
      const org = orgs.find((candidate) => candidate.id === provider.orgId);
      return org ? [{ provider, org }] : [];
    });
    this.providers.set(issuer, { value, until: Date.now() + PROVIDER_CACHE_MS });
    return value;
  }

  /** The issuer's key set, discovered at most once an hour (a failed discovery is retried after 30 s). */
  private keysOf(issuer: string): Promise<JWTVerifyGetKey> {
    const cached = this.keys.get(issuer);
    if (cached && cached.until > Date.now()) return cached.value;
    const entry: Cached<Promise<JWTVerifyGetKey>> = { value: discoverKeys(issuer), until: Date.now() + DISCOVERY_CACHE_MS };
    entry.value.catch(() => {
      entry.until = Math.min(entry.until, Date.now() + DISCOVERY_RETRY_MS);
    });
    this.keys.set(issuer, entry);
    return entry.value;
  }
}
