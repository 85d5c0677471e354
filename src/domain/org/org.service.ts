import { IANAZone } from 'luxon';
import { selectRows } from '../../core/sql/rows.js';
import { inTransaction } from '../../core/sql/transaction.js';
import { CommonErrorCode, DomainError } from '../../core/errors.js';
import type { ServiceContext } from '../context.js';
import { recordAudit } from '../audit/audit.service.js';
import { positiveInteger, requiredText } from '../../core/input-rules.js';
import { MAX_BACKDATING_WINDOW_DAYS } from './backdating.js';
import { compileUserPattern, MAX_PATTERN_CHARS } from '../../core/user-pattern.js';
import { OrgErrorCode } from './org.errors.js';
import { MOBILE_PATTERN_SYNTAX } from './org.rows.js';

/** The org settings an ADMIN may change; absent ones stay as they are. */
export interface OrgSettingsChange {
  readonly goodwillPointsCap?: number | null;
  /** Most points one `pointsTransfer` may move. */
  readonly pointsTransferCap?: number | null;
  /** Days back `couponRedeem` and `transactionAdd` may date what they record. */
  readonly backdatingWindowDays?: number | null;
  readonly importOpeningPointsCap?: number | null;
  /** Most parts one SMS may be cut into. */
  readonly smsMaxSegments?: number | null;
  /** Most bytes an email's attachments may take together. */
  readonly emailMaxAttachmentBytes?: number | null;
  /** Most SMS a second handed to the gateway; 0 lifts the limit. */
  readonly smsSendRate?: number | null;
  /** Most emails a second handed to the mail server; 0 lifts the limit. */
  readonly emailSendRate?: number | null;
  /** IANA time zone, e.g. `Asia/Singapore`. */
  readonly timeZone?: string | null;
  /** Regular expression a mobile number (digits with country code) must match. */
  readonly mobileRegex?: string | null;
  readonly defaultSenderId?: string | null;
}

/** Largest goodwill issue an org may allow. */
const MAX_GOODWILL_CAP = 1_000_000;
/** Largest transfer cap an org may allow: what a ledger entry's int column holds. */
const MAX_TRANSFER_CAP = 2_000_000_000;
/** Largest opening balance an org may allow: what an import's points column accepts at all. */
const MAX_OPENING_POINTS_CAP = 2_000_000_000;
/** Most parts an org may let one SMS have: past that, handsets and gateways often fail to join them. */
const MAX_SMS_SEGMENTS = 20;
/** Most attachment bytes an org may allow per email: base64 takes 4/3 of them, and the request body is at most 1 MB. */
export const MAX_EMAIL_ATTACHMENT_BYTES = 786_432;
/** Highest send rate an org may set, messages a second: above it, a limit limits nothing the workers could reach. */
const MAX_SEND_RATE = 10_000;

/** A send rate: 0 lifts the limit (stored as null), else 1 to MAX_SEND_RATE messages a second. */
function sendRate(value: number, field: string): number | null {
  if (value === 0) return null;
  if (!Number.isSafeInteger(value) || value < 0 || value > MAX_SEND_RATE) {
    throw new DomainError(CommonErrorCode.INVALID_INPUT, `${field} must be a whole number of messages a second from 1 to ${MAX_SEND_RATE}, or 0 for no limit.`, ['input', field]);
  }
  return value;
}

function windowDays(value: number): number {
  if (!Number.isSafeInteger(value) || value < 0 || value > MAX_BACKDATING_WINDOW_DAYS) {
    throw new DomainError(CommonErrorCode.INVALID_INPUT, `backdatingWindowDays must be a whole number from 0 to ${MAX_BACKDATING_WINDOW_DAYS}.`, ['input', 'backdatingWindowDays']);
  }
  return value;
}

function ianaZone(value: string): string {
  const zone = requiredText(value, ['input', 'timeZone'], 64);
  // IANA names only: fixed offsets like "UTC+8" would silently ignore daylight saving.
  if (!IANAZone.isValidZone(zone) || !/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(zone)) {
    throw new DomainError(CommonErrorCode.INVALID_INPUT, `"${zone}" is not an IANA time zone such as Asia/Singapore.`, ['input', 'timeZone']);
  }
  return zone;
}

function mobilePattern(value: string): string {
  const field = ['input', 'mobileRegex'];
  const source = requiredText(value, field, MAX_PATTERN_CHARS);
  // Every mobile of every import row is matched with it: it must run on the linear-time engine.
  const verdict = compileUserPattern(source, MOBILE_PATTERN_SYNTAX);
  if (verdict.ok) return source;
  if (verdict.problem === 'UNSUPPORTED') throw new DomainError(OrgErrorCode.MOBILE_REGEX_UNSUPPORTED, `mobileRegex cannot be used: ${verdict.reason}.`, field);
  throw new DomainError(CommonErrorCode.INVALID_INPUT, `mobileRegex is not a valid regular expression: ${verdict.reason}`, field);
}

/** Changes the caller's org settings; returns the org id. */
export function updateOrgSettings(ctx: ServiceContext, change: OrgSettingsChange): Promise<{ orgId: number }> {
  return inTransaction(ctx, async (tx) => {
    // Column names come from this fixed map, never from the input.
    const columns: Record<string, string> = {};
    const after: Record<string, string | number | null> = {};
    const set = (field: string, column: string, value: string | number | null): void => {
      columns[field] = column;
      after[field] = value;
    };
    if (change.goodwillPointsCap !== null && change.goodwillPointsCap !== undefined) {
      set('goodwillPointsCap', 'goodwill_points_cap', positiveInteger(change.goodwillPointsCap, ['input', 'goodwillPointsCap'], MAX_GOODWILL_CAP));
    }
    if (change.pointsTransferCap !== null && change.pointsTransferCap !== undefined) {
      set('pointsTransferCap', 'points_transfer_cap', positiveInteger(change.pointsTransferCap, ['input', 'pointsTransferCap'], MAX_TRANSFER_CAP));
    }
    if (change.backdatingWindowDays !== null && change.backdatingWindowDays !== undefined) {
      set('backdatingWindowDays', 'backdating_window_days', windowDays(change.backdatingWindowDays));
    }
    if (change.importOpeningPointsCap !== null && change.importOpeningPointsCap !== undefined) {
      set('importOpeningPointsCap', 'import_opening_points_cap', positiveInteger(change.importOpeningPointsCap, ['input', 'importOpeningPointsCap'], MAX_OPENING_POINTS_CAP));
    }
    if (change.smsMaxSegments !== null && change.smsMaxSegments !== undefined) {
      set('smsMaxSegments', 'sms_max_segments', positiveInteger(change.smsMaxSegments, ['input', 'smsMaxSegments'], MAX_SMS_SEGMENTS));
    }
    if (change.emailMaxAttachmentBytes !== null && change.emailMaxAttachmentBytes !== undefined) {
      set('emailMaxAttachmentBytes', 'email_max_attachment_bytes', positiveInteger(change.emailMaxAttachmentBytes, ['input', 'emailMaxAttachmentBytes'], MAX_EMAIL_ATTACHMENT_BYTES));
    }
    if (change.smsSendRate !== null && change.smsSendRate !== undefined) set('smsSendRate', 'sms_send_rate', sendRate(change.smsSendRate, 'smsSendRate'));
    if (change.emailSendRate !== null && change.emailSendRate !== undefined) set('emailSendRate', 'email_send_rate', sendRate(change.emailSendRate, 'emailSendRate'));
    if (change.timeZone !== null && change.timeZone !== undefined) set('timeZone', 'time_zone', ianaZone(change.timeZone));
    if (change.mobileRegex !== null && change.mobileRegex !== undefined) set('mobileRegex', 'mobile_regex', mobilePattern(change.mobileRegex));
    if (change.defaultSenderId !== null && change.defaultSenderId !== undefined) {
      set('defaultSenderId', 'default_sender_id', requiredText(change.defaultSenderId, ['input', 'defaultSenderId'], 64));
    }
    const fields = Object.keys(after);
    if (fields.length === 0) throw new DomainError(CommonErrorCode.INVALID_INPUT, 'Name at least one setting to change.', ['input']);
    const [before] = await selectRows(tx.em, `select ${fields.map((field) => columns[field]).join(', ')} from org where id = ? for update`, [tx.org.id]);
    await tx.em.execute(`update org set ${fields.map((field) => `${columns[field]} = ?`).join(', ')} where id = ?`, [...fields.map((field) => after[field]), tx.org.id]);
    await recordAudit(tx, { action: 'orgSettingsUpdate', subjectType: 'Org', subjectId: tx.org.id, details: { before, after } });
    return { orgId: tx.org.id };
  });
}
