import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { CommonErrorCode, DomainError } from '../../core/errors.js';
import { selectRows, toDate, toId, writeRows, type Row } from '../../core/sql/rows.js';
import { inTransaction } from '../../core/sql/transaction.js';
import { recordAudit } from '../audit/audit.service.js';
import type { ServiceContext } from '../context.js';
import { CUSTOMER_SCOPES, type CustomerScope } from './customer-grant.js';
import { OAUTH_CLIENT_TYPES, type OAuthClientType } from './oauth.entity.js';

/** At most this many redirect URIs per client. */
export const MAX_REDIRECT_URIS = 10;
/** Longest redirect URI accepted. */
const MAX_REDIRECT_URI_CHARS = 2_000;
const MAX_NAME_CHARS = 200;
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** A client as its org sees it (never its secret). */
export interface OAuthClientRow {
  readonly __typename: 'OAuthClient';
  readonly orgId: number;
  readonly clientId: string;
  readonly name: string;
  readonly type: OAuthClientType;
  readonly redirectUris: readonly string[];
  readonly allowedScopes: readonly CustomerScope[];
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** A client as the authorization server needs it: with the hash of its secret. */
export interface OAuthClientRecord extends OAuthClientRow {
  readonly secretHash: string | null;
}

export interface OAuthClientCreate {
  readonly name: string;
  readonly type: OAuthClientType;
  readonly redirectUris: readonly string[];
  readonly allowedScopes: readonly string[];
}

export interface OAuthClientChange {
  readonly clientId: string;
  readonly name?: string | null;
  readonly redirectUris?: readonly string[] | null;
  readonly allowedScopes?: readonly string[] | null;
}

const COLUMNS = 'org_id, client_id, name, type, secret_hash, redirect_uris, allowed_scopes, created_at, updated_at';

function toClientRecord(row: Row): OAuthClientRecord {
  return {
    __typename: 'OAuthClient',
    orgId: toId(row.orgId),
    clientId: String(row.clientId),
    name: String(row.name),
    type: row.type as OAuthClientType,
    secretHash: row.secretHash === null || row.secretHash === undefined ? null : String(row.secretHash),
    redirectUris: row.redirectUris as string[],
    allowedScopes: row.allowedScopes as CustomerScope[],
    createdAt: toDate(row.createdAt),
    updatedAt: toDate(row.updatedAt),
  };
}

function toClientRow(record: OAuthClientRecord): OAuthClientRow {
  const { secretHash: _secret, ...row } = record;
  return row;
}

/** The SHA-256 of a client secret, as stored: the secret is 256 random bits, so no slow hash is needed. */
export function hashClientSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Whether `secret` is the one whose hash is stored, in constant time. */
export function clientSecretMatches(secretHash: string | null, secret: unknown): boolean {
  if (secretHash === null || typeof secret !== 'string' || secret.length === 0 || secret.length > 200) return false;
  return timingSafeEqual(Buffer.from(hashClientSecret(secret), 'hex'), Buffer.from(secretHash, 'hex'));
}

function clientName(value: string): string {
  const name = value.trim();
  if (name === '' || name.length > MAX_NAME_CHARS) throw new DomainError(CommonErrorCode.INVALID_INPUT, `name must be 1 to ${MAX_NAME_CHARS} characters.`, ['input', 'name']);
  return name;
}

/**
 * One redirect URI, compared later character for character (RFC 9700 §2.1): absolute, https (http
 * only on a loopback host, for apps on a developer's machine), no fragment, no credentials, no
 * wildcard.
 */
function redirectUri(value: string, index: number): string {
  const field = ['input', 'redirectUris', String(index)];
  const refuse = (why: string) => new DomainError(CommonErrorCode.INVALID_INPUT, `redirectUris[${index}] ${why}`, field);
  if (value.length === 0 || value.length > MAX_REDIRECT_URI_CHARS) throw refuse(`must be 1 to ${MAX_REDIRECT_URI_CHARS} characters.`);
  const url = URL.parse(value);
  if (!url || url.href !== value) throw refuse('must be an absolute URL written in its normal form (as the app will send it).');
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname))) throw refuse('must use https (http only on localhost, 127.0.0.1 or [::1]).');
  if (url.hash !== '' || value.includes('#')) throw refuse('must not have a fragment.');
  if (url.username !== '' || url.password !== '') throw refuse('must not carry credentials.');
  if (value.includes('*')) throw refuse('must not contain a wildcard.');
  return value;
}

function redirectUris(values: readonly string[]): string[] {
  if (values.length === 0 || values.length > MAX_REDIRECT_URIS) {
    throw new DomainError(CommonErrorCode.INVALID_INPUT, `redirectUris must list 1 to ${MAX_REDIRECT_URIS} URIs.`, ['input', 'redirectUris']);
  }
  return [...new Set(values.map(redirectUri))];
}

function allowedScopes(values: readonly string[]): CustomerScope[] {
  const scopes = [...new Set(values)];
  const unknown = scopes.find((scope) => !(CUSTOMER_SCOPES as readonly string[]).includes(scope));
  if (scopes.length === 0 || unknown !== undefined) {
    throw new DomainError(CommonErrorCode.INVALID_INPUT, `allowedScopes must list at least one of ${CUSTOMER_SCOPES.join(', ')}${unknown === undefined ? '' : `; "${unknown.slice(0, 50)}" is not one`}.`, ['input', 'allowedScopes']);
  }
  return scopes as CustomerScope[];
}

function clientType(value: OAuthClientType): OAuthClientType {
  if (!OAUTH_CLIENT_TYPES.includes(value)) throw new DomainError(CommonErrorCode.INVALID_INPUT, `type must be one of ${OAUTH_CLIENT_TYPES.join(', ')}.`, ['input', 'type']);
  return value;
}

function clientNotFound(): DomainError {
  return new DomainError(CommonErrorCode.NOT_FOUND, 'Your org has no OAuth client with this clientId.', ['input', 'clientId']);
}

/** Registers a partner app; a confidential one gets its secret here, once (only its hash is kept). */
export async function createOAuthClient(ctx: ServiceContext, input: OAuthClientCreate): Promise<{ client: OAuthClientRow; secret: string | null }> {
  const name = clientName(input.name);
  const type = clientType(input.type);
  const uris = redirectUris(input.redirectUris);
  const scopes = allowedScopes(input.allowedScopes);
  const clientId = `lgc_${randomBytes(16).toString('base64url')}`;
  const secret = type === 'CONFIDENTIAL' ? randomBytes(32).toString('base64url') : null;
  return inTransaction(ctx, async (tx) => {
    const now = tx.clock.now();
    const [row] = await writeRows(
      tx.em,
      `insert into oauth_client (org_id, client_id, name, type, secret_hash, redirect_uris, allowed_scopes, created_at, updated_at)
        values (?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?) returning ${COLUMNS}`,
      [tx.org.id, clientId, name, type, secret === null ? null : hashClientSecret(secret), JSON.stringify(uris), JSON.stringify(scopes), now, now],
    );
    await recordAudit(tx, { action: 'oauthClientCreate', subjectType: 'OAuthClient', subjectId: null, details: { clientId, name, type, redirectUris: uris, allowedScopes: scopes } });
    return { client: toClientRow(toClientRecord(row)), secret };
  });
}

/**
 * Changes a client's name, redirect URIs or allowed scopes. Tokens already issued keep their
 * scopes until they expire; a removed redirect URI is refused from the next authorization on.
 */
export async function updateOAuthClient(ctx: ServiceContext, change: OAuthClientChange): Promise<OAuthClientRow> {
  const name = change.name === undefined || change.name === null ? null : clientName(change.name);
  const uris = change.redirectUris === undefined || change.redirectUris === null ? null : redirectUris(change.redirectUris);
  const scopes = change.allowedScopes === undefined || change.allowedScopes === null ? null : allowedScopes(change.allowedScopes);
  return inTransaction(ctx, async (tx) => {
    const [row] = await writeRows(
      tx.em,
      `update oauth_client set name = coalesce(?, name), redirect_uris = coalesce(?::jsonb, redirect_uris),
          allowed_scopes = coalesce(?::jsonb, allowed_scopes), updated_at = ?
        where org_id = ? and client_id = ? returning ${COLUMNS}`,
      [name, uris && JSON.stringify(uris), scopes && JSON.stringify(scopes), tx.clock.now(), tx.org.id, String(change.clientId).slice(0, 64)],
    );
    if (!row) throw clientNotFound();
    await recordAudit(tx, { action: 'oauthClientUpdate', subjectType: 'OAuthClient', subjectId: null, details: { clientId: change.clientId, name, redirectUris: uris, allowedScopes: scopes } });
    return toClientRow(toClientRecord(row));
  });
}

/**
 * Removes a client and everything the authorization server keeps for it (codes, grants, tokens):
 * its tokens stop working at once (the verifier's short cache aside).
 */
export async function deleteOAuthClient(ctx: ServiceContext, clientId: string): Promise<{ clientId: string }> {
  return inTransaction(ctx, async (tx) => {
    const [row] = await writeRows(tx.em, 'delete from oauth_client where org_id = ? and client_id = ? returning client_id', [tx.org.id, String(clientId).slice(0, 64)]);
    if (!row) throw clientNotFound();
    await tx.em.execute(`delete from oauth_model where payload->>'clientId' = ?`, [clientId]);
    await tx.em.execute('delete from oauth_otp where org_id = ? and client_id = ?', [tx.org.id, clientId]);
    await recordAudit(tx, { action: 'oauthClientDelete', subjectType: 'OAuthClient', subjectId: null, details: { clientId } });
    return { clientId };
  });
}

/** The org's clients, newest first (an org has a handful). */
export async function listOAuthClients(ctx: ServiceContext): Promise<OAuthClientRow[]> {
  const rows = await selectRows(ctx.em, `select ${COLUMNS} from oauth_client where org_id = ? order by created_at desc, id desc limit 200`, [ctx.org.id]);
  return rows.map((row) => toClientRow(toClientRecord(row)));
}

/** A client of any org by its client id, with its secret's hash: for the authorization server only. */
export async function findOAuthClient(em: EntityManager, clientId: string): Promise<OAuthClientRecord | undefined> {
  if (clientId.length === 0 || clientId.length > 64) return undefined;
  const [row] = await selectRows(em, `select ${COLUMNS} from oauth_client where client_id = ?`, [clientId]);
  return row ? toClientRecord(row) : undefined;
}
