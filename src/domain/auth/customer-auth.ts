import type { EntityManager } from '@mikro-orm/postgresql';
import { selectRows } from '../../core/sql/rows.js';
import type { CustomerGrant, CustomerTokenVerifier } from '../oauth/customer-grant.js';
import { toOrgRow, type OrgRow } from '../org/org.rows.js';
import type { AuthFailureLimiter } from './auth-failures.js';
import { LruCache } from './lru-cache.js';

/** How long an org row read for customers' tokens is reused (as API keys cache theirs). */
const ORG_CACHE_MS = 10_000;
const ORG_CACHE_CAPACITY = 1_000;

export type CustomerAuthentication =
  | { readonly kind: 'ok'; readonly grant: CustomerGrant; readonly org: OrgRow }
  | { readonly kind: 'unauthenticated' }
  | { readonly kind: 'throttled'; readonly retryAfterSeconds: number };

/**
 * Resolves a customer's access token (issued by the authorization server under `/oauth`) to the
 * grant it carries and its org. A client address that sends too many bad tokens is throttled like
 * one sending bad API keys, with the same counter.
 */
export class CustomerAuthenticator {
  private readonly orgs = new LruCache<number, { readonly org: OrgRow; readonly until: number }>(ORG_CACHE_CAPACITY);

  constructor(
    private readonly verifier: CustomerTokenVerifier,
    private readonly emFactory: () => EntityManager,
    private readonly failures?: AuthFailureLimiter,
  ) {}

  async authenticate(token: string, client: string): Promise<CustomerAuthentication> {
    if (this.failures) {
      const wait = await this.failures.retryAfterSeconds(client);
      if (wait > 0) return { kind: 'throttled', retryAfterSeconds: wait };
    }
    const grant = token.length <= 2_000 ? await this.verifier.verify(token) : null;
    const org = grant ? await this.orgOf(grant.orgId) : undefined;
    if (grant && org) return { kind: 'ok', grant, org };
    const wait = (await this.failures?.recordFailure(client)) ?? 0;
    return wait > 0 ? { kind: 'throttled', retryAfterSeconds: wait } : { kind: 'unauthenticated' };
  }

  /** The grant a token carries now (null once revoked or expired): open WebSockets check theirs again with it. */
  recheck(token: string): Promise<CustomerGrant | null> {
    return this.verifier.verify(token);
  }

  private async orgOf(orgId: number): Promise<OrgRow | undefined> {
    const cached = this.orgs.get(orgId);
    if (cached && cached.until > Date.now()) return cached.org;
    const [row] = await selectRows(this.emFactory(), 'select * from org where id = ?', [orgId]);
    if (!row) return undefined;
    const org = toOrgRow(row);
    this.orgs.set(orgId, { org, until: Date.now() + ORG_CACHE_MS });
    return org;
  }
}
