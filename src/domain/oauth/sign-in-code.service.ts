import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { selectRows, toId, toNullableId, writeRows } from '../../core/sql/rows.js';
import type { ServiceContext } from '../context.js';
import { customerIdByIdentifier } from '../customer/customer.service.js';

/** A sign-in code is good for 5 minutes and 5 tries. */
export const SIGN_IN_CODE_TTL_SECONDS = 300;
export const SIGN_IN_CODE_ATTEMPTS = 5;
const MAX_EMAIL_CHARS = 254;
const MAX_MOBILE_CHARS = 30;

/** What the customer typed to sign in: a mobile or an email. */
export interface SignInIdentifier {
  readonly type: 'MOBILE' | 'EMAIL';
  readonly value: string;
}

/** Reads what the customer typed; undefined when it can be neither a mobile nor an email. */
export function parseSignInIdentifier(raw: unknown): SignInIdentifier | undefined {
  if (typeof raw !== 'string') return undefined;
  const value = raw.trim();
  if (value.includes('@')) return value.length <= MAX_EMAIL_CHARS && /^[^\s@]+@[^\s@]+$/.test(value) ? { type: 'EMAIL', value: value.toLowerCase() } : undefined;
  return value.length > 0 && value.length <= MAX_MOBILE_CHARS && /^\+?[0-9][0-9 ()-]*$/.test(value) ? { type: 'MOBILE', value } : undefined;
}

/** The code as stored: its hash, salted with the sign-in it belongs to. */
function codeHash(interactionUid: string, code: string): string {
  return createHash('sha256').update(`${interactionUid}:${code}`, 'utf8').digest('hex');
}

export interface IssuedSignInCode {
  readonly code: string;
  /** The customer the identifier names in the org; null when it names nobody (send nothing). */
  readonly customerId: number | null;
}

/**
 * Makes the 6-digit code of a sign-in (a new one replaces the last) and stores its hash. The same
 * work is done whether or not the identifier names a customer: only the caller's send differs.
 */
export async function issueSignInCode(ctx: ServiceContext, request: { clientId: string; interactionUid: string; identifier: SignInIdentifier }): Promise<IssuedSignInCode> {
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const customerId = (await customerIdByIdentifier(ctx, request.identifier.type, request.identifier.value)) ?? null;
  const expiresAt = new Date(ctx.clock.now().getTime() + SIGN_IN_CODE_TTL_SECONDS * 1000);
  await writeRows(
    ctx.em,
    `insert into oauth_otp (org_id, client_id, interaction_uid, customer_id, code_hash, attempts, expires_at, created_at) values (?, ?, ?, ?, ?, 0, ?, ?)
      on conflict (interaction_uid) do update set customer_id = excluded.customer_id, code_hash = excluded.code_hash, attempts = 0,
        expires_at = excluded.expires_at, verified_at = null, created_at = excluded.created_at`,
    [ctx.org.id, request.clientId, request.interactionUid, customerId, codeHash(request.interactionUid, code), expiresAt, ctx.clock.now()],
  );
  return { code, customerId };
}

export type SignInCodeCheck =
  | { readonly outcome: 'SIGNED_IN'; readonly customerId: number; readonly orgId: number }
  | { readonly outcome: 'WRONG'; readonly attemptsLeft: number }
  /** Five wrong tries, or the code expired, or no code was sent for this sign-in: a new code is needed. */
  | { readonly outcome: 'NEW_CODE_NEEDED' };

/**
 * Checks a typed code: each try is counted first (one conditional update, so parallel tries cannot
 * exceed the limit), then compared in constant time. An identifier that named nobody never signs in.
 */
export async function checkSignInCode(em: EntityManager, now: Date, interactionUid: string, typed: unknown): Promise<SignInCodeCheck> {
  const [row] = await writeRows<{ orgId: string; customerId: string | null; codeHash: string; attempts: number }>(
    em,
    `update oauth_otp set attempts = attempts + 1 where interaction_uid = ? and attempts < ? and expires_at > ? and verified_at is null
      returning org_id, customer_id, code_hash, attempts`,
    [interactionUid, SIGN_IN_CODE_ATTEMPTS, now],
  );
  if (!row) return { outcome: 'NEW_CODE_NEEDED' };
  const code = typeof typed === 'string' ? typed.trim() : '';
  const matches = /^\d{6}$/.test(code) && timingSafeEqual(Buffer.from(codeHash(interactionUid, code), 'hex'), Buffer.from(row.codeHash, 'hex'));
  const customerId = toNullableId(row.customerId);
  if (!matches || customerId === null) {
    const attemptsLeft = SIGN_IN_CODE_ATTEMPTS - Number(row.attempts);
    return attemptsLeft > 0 ? { outcome: 'WRONG', attemptsLeft } : { outcome: 'NEW_CODE_NEEDED' };
  }
  await writeRows(em, 'update oauth_otp set verified_at = ? where interaction_uid = ?', [now, interactionUid]);
  return { outcome: 'SIGNED_IN', customerId, orgId: toId(row.orgId) };
}

/** Whether a code was sent for this sign-in and may still be typed. */
export async function hasPendingSignInCode(em: EntityManager, now: Date, interactionUid: string): Promise<boolean> {
  const rows = await selectRows(em, 'select 1 from oauth_otp where interaction_uid = ? and attempts < ? and expires_at > ? and verified_at is null', [interactionUid, SIGN_IN_CODE_ATTEMPTS, now]);
  return rows.length > 0;
}
