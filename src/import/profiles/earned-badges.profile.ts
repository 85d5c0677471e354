import { toDate } from '../../core/sql/rows.js';
import { BadgeErrorCode } from '../../domain/badge/badge.errors.js';
import { issueBadge } from '../../domain/badge/badge.service.js';
import { loadReferenceData, type ReferenceData } from '../checks/reference-data.js';
import { checkRequiredDate, requireValue } from '../checks/validators.js';
import { customerNotFound, customerRef, prepareIdentifier } from './customer-match.js';
import type { ImportProfile, JobContext, RowReader, StagedValue } from './profile.js';
import { mergeRowByRow, SERVICE_BATCH_ROWS, type MergeRow } from './service-merge.js';
import { recordIssuesWhere } from './set-checks.js';

/**
 * Earned Badges: issues badges to customers in bulk, also for past (retro) events. Each row is
 * checked on its own (badge, customer identifier in `customerId`, dates in the template format,
 * expiry after the earn date), then against the org (the customer exists); each accepted row is
 * issued by `issueBadge`, the service behind `badgeIssue`. A badge earned by the customer at the
 * same instant already (an earlier row, an earlier import) is refused with BADGE_ALREADY_EARNED:
 * that is what makes a replayed row write nothing. A dry run merges and rolls back, so it
 * reports those too.
 */

/** The codes of the services this profile merges through that its rows may carry. */
const DOMAIN_ISSUE_CODES = { BADGE_ALREADY_EARNED: BadgeErrorCode.descriptions.BADGE_ALREADY_EARNED };

const IDENTIFIER_FIELD = 'customerId';

const STAGING = [
  { name: 'ident', type: 'text' },
  { name: 'badge_meta_id', type: 'text' },
  { name: 'earned_at', type: 'timestamptz' },
  { name: 'expires_at', type: 'timestamptz' },
] as const;

interface BadgeRow extends MergeRow {
  readonly ident: string;
  readonly badgeMetaId: string;
  /** Timestamps read inside a transaction arrive as text. */
  readonly earnEventDate: Date | string;
  readonly earnExpiresOn: Date | string;
}

function prepareRow(ctx: JobContext, refs: ReferenceData, row: RowReader): StagedValue[] {
  const options = ctx.job.options;
  let badge = requireValue(row, 'badgeMetaId');
  if (badge !== null && !refs.badges.has(badge)) {
    row.error('BADGE_UNKNOWN', 'badgeMetaId', badge, `The org has no badge "${badge}".`);
    badge = null;
  }
  const earnedAt = checkRequiredDate(row, 'earnEventDate', refs, options, ctx.clock.now());
  let expiresAt = checkRequiredDate(row, 'earnExpiresOn', refs, options);
  if (earnedAt && expiresAt && expiresAt.getTime() <= earnedAt.getTime()) {
    row.error('BADGE_EXPIRY_NOT_AFTER_EARN_DATE', 'earnExpiresOn', row.value('earnExpiresOn'), `The badge would expire (${row.value('earnExpiresOn')}) before it was earned (${row.value('earnEventDate')}).`);
    expiresAt = null;
  }
  return [prepareIdentifier(ctx, refs, row, IDENTIFIER_FIELD), badge, earnedAt, expiresAt];
}

export const earnedBadgesProfile: ImportProfile = {
  name: 'EARNED_BADGES',
  domainIssueCodes: DOMAIN_ISSUE_CODES,
  stagingColumns: STAGING,
  batchRows: SERVICE_BATCH_ROWS,
  dryRunMerges: true,
  async begin(ctx) {
    const refs = await loadReferenceData(ctx);
    return { prepare: (row) => prepareRow(ctx, refs, row) };
  },
  async check(ctx, stage) {
    await recordIssuesWhere(ctx, stage, customerNotFound(ctx, stage, 'ident', IDENTIFIER_FIELD));
  },
  mergeBatch(tx, stage, batch) {
    return mergeRowByRow<BadgeRow>(tx, stage, batch, {
      select: 's.ident, s.badge_meta_id, s.earned_at as earn_event_date, s.expires_at as earn_expires_on',
      identifierField: IDENTIFIER_FIELD,
      dateFields: ['earnEventDate', 'earnExpiresOn'],
      async apply(rowTx, row) {
        await issueBadge(rowTx, { customer: customerRef(rowTx, row.ident), badgeMetaId: row.badgeMetaId, earnedAt: toDate(row.earnEventDate), expiresAt: toDate(row.earnExpiresOn) });
      },
    });
  },
};
