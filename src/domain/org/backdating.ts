import { selectRows } from '../../core/sql/rows.js';
import { DomainError } from '../../core/errors.js';
import type { ServiceContext } from '../context.js';
import { notInFuture, type FieldPath } from '../../core/input-rules.js';
import { OrgErrorCode } from './org.errors.js';

/** A new org's backdating window (`Org.backdatingWindowDays`). */
export const DEFAULT_BACKDATING_WINDOW_DAYS = 7;
/** The widest window an org may set. */
export const MAX_BACKDATING_WINDOW_DAYS = 3650;
/** Clock skew between a till and us, allowed both ways. */
const SKEW_MS = 5 * 60_000;
const DAY_MS = 86_400_000;

export interface EventTimeOptions {
  /**
   * An import of history (the Transactions and Coupon Redemption profiles): any past time is
   * accepted. A time a client sends through the API is held to the org's window, so a key holder
   * cannot rewrite last year's earnings, tiers or redemption limits with a made-up date.
   */
  readonly allowBackdating?: boolean;
}

/**
 * When something a client records happened (a purchase, a redemption): not later than a few
 * minutes ahead, and not earlier than the org's backdating window (in days) before now.
 */
export async function eventTime(tx: ServiceContext, instant: Date, field: FieldPath, options: EventTimeOptions = {}): Promise<Date> {
  const now = tx.clock.now().getTime();
  notInFuture(instant, new Date(now), field, SKEW_MS);
  // Within the skew of now: inside any window, so the setting need not be read.
  if (options.allowBackdating || instant.getTime() >= now - SKEW_MS) return instant;
  // Read per operation (not from the cached org): a changed window applies to the next request.
  const [row] = await selectRows(tx.em, 'select backdating_window_days from org where id = ?', [tx.org.id]);
  const days = Number(row?.backdatingWindowDays ?? DEFAULT_BACKDATING_WINDOW_DAYS);
  if (instant.getTime() < now - days * DAY_MS - SKEW_MS) {
    const name = field.at(-1) ?? 'time';
    throw new DomainError(
      OrgErrorCode.BEFORE_BACKDATING_WINDOW,
      `${name} may be at most ${days} day${days === 1 ? '' : 's'} in the past (the org's backdating window); import older history instead.`,
      field,
    );
  }
  return instant;
}
