/*
 * Badges earned by customers, for `badgeIssue` and the Earned Badges import profile.
 *
 * How an import calls it: `issueBadge(batchCtx, { customer: { id: customerId }, badgeMetaId,
 * earnedAt: earnEventDate, expiresAt: earnExpiresOn })` per row, inside the import's transaction
 * (each call nests in a SAVEPOINT: a DomainError undoes that row alone), or standalone (its own
 * transaction). A replayed row is refused with BADGE_ALREADY_EARNED and writes nothing.
 */
import { selectRows, toId, writeRows } from '../../core/sql/rows.js';
import { inTransaction } from '../../core/sql/transaction.js';
import { DomainError } from '../../core/errors.js';
import type { ServiceContext } from '../context.js';
import { recordAudit } from '../audit/audit.service.js';
import { notInFuture, requiredText } from '../../core/input-rules.js';
import { resolveCustomerId, type CustomerRef } from '../customer/customer.service.js';
import { addTimelineEvent } from '../timeline/timeline.service.js';
import { BadgeErrorCode } from './badge.errors.js';

export interface BadgeIssue {
  readonly customer: CustomerRef;
  /** The badge definition's meta id (badgeMetaId). */
  readonly badgeMetaId: string;
  /** When it was earned; the past is allowed (a retro issue), the future is not. */
  readonly earnedAt: Date;
  /** When it expires: after `earnedAt`. */
  readonly expiresAt: Date;
}

/** Issues a badge to a customer; returns the earned badge's id. */
export function issueBadge(ctx: ServiceContext, input: BadgeIssue): Promise<{ earnedBadgeId: number; customerId: number }> {
  return inTransaction(ctx, async (tx) => {
    const badgeMetaId = requiredText(input.badgeMetaId, ['input', 'badgeMetaId'], 64);
    const earnedAt = notInFuture(input.earnedAt, tx.clock.now(), ['input', 'earnEventDate']);
    if (!(input.expiresAt.getTime() > earnedAt.getTime())) {
      throw new DomainError(BadgeErrorCode.BADGE_EXPIRY_NOT_AFTER_EARN_DATE, 'earnExpiresOn must be after earnEventDate.', ['input', 'earnExpiresOn']);
    }
    const customerId = await resolveCustomerId(tx, input.customer);
    const [badge] = await selectRows(tx.em, 'select id, name from badge_definition where org_id = ? and meta_id = ?', [tx.org.id, badgeMetaId]);
    if (!badge) throw new DomainError(BadgeErrorCode.BADGE_NOT_FOUND, `The org has no badge "${badgeMetaId}".`, ['input', 'badgeMetaId']);
    const [earned] = await writeRows<{ id: string }>(
      tx.em,
      `insert into earned_badge (org_id, badge_id, customer_id, earned_at, expires_at, created_at) values (?, ?, ?, ?, ?, ?)
        on conflict (org_id, customer_id, badge_id, earned_at) do nothing returning id`,
      [tx.org.id, badge.id, customerId, earnedAt, input.expiresAt, tx.clock.now()],
    );
    if (!earned) throw new DomainError(BadgeErrorCode.BADGE_ALREADY_EARNED, `The customer already earned "${badgeMetaId}" at that time.`, ['input', 'earnEventDate']);
    const earnedBadgeId = toId(earned.id);
    await addTimelineEvent(tx, { customerId, type: 'BADGE_EARNED', summary: `Earned the ${String(badge.name)} badge`, data: { badgeMetaId, earnedBadgeId }, occurredAt: earnedAt });
    await recordAudit(tx, { action: 'badgeIssue', subjectType: 'EarnedBadge', subjectId: earnedBadgeId, details: { customerId, badgeMetaId, earnedAt, expiresAt: input.expiresAt } });
    return { earnedBadgeId, customerId };
  });
}
