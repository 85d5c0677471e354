import { ForbiddenError } from '../../core/errors.js';
import type { StaffRole } from './api-key.entity.js';

/** Roles that may change customer, card, points and import data. VIEWER only reads. */
export const WRITERS: readonly StaffRole[] = ['ADMIN', 'MEMBER_CARE', 'INTEGRATION'];

/** Refuses a read-only key (a top-level FORBIDDEN error: an auth failure, not a business one). */
export function assertCanWrite(ctx: { readonly role: StaffRole }): void {
  if (!WRITERS.includes(ctx.role)) throw new ForbiddenError(`A ${ctx.role} key cannot change data.`);
}

/** Refuses every role not listed, e.g. org settings are for ADMIN keys only. */
export function assertRole(ctx: { readonly role: StaffRole }, allowed: readonly StaffRole[], what: string): void {
  if (!allowed.includes(ctx.role)) throw new ForbiddenError(`Only ${allowed.join(' or ')} keys can ${what}; this key is ${ctx.role}.`);
}
