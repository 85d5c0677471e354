import { CHANNELS, MESSAGE_PRIORITIES, SUBSCRIPTION_STATUSES, type Channel, type MessagePriority, type SubscriptionStatus } from '../../customer/customer.entity.js';
import { updateSubscription } from '../../customer/subscription.service.js';
import { loadReferenceData, type ReferenceData } from '../rows/reference-data.js';
import { maxLength, requireChoice } from '../rows/validators.js';
import { customerNotFound, customerRef, prepareIdentifier } from './customer-match.js';
import type { ImportProfile, JobContext, RowReader, StagedValue } from './profile.js';
import { mergeRowByRow, SERVICE_BATCH_ROWS, type MergeRow } from './service-merge.js';
import { duplicatesInFile, recordIssuesWhere } from './set-checks.js';

/**
 * User Subscriptions: opts customers in or out of a channel for one priority (and account). Each
 * row is checked on its own, then across the file (one customer, channel, priority and account on
 * two rows is ambiguous consent: both are refused) and against the org (the customer exists);
 * each accepted row is applied by `updateSubscription`, the service behind
 * `customerSubscriptionUpdate`, with its audit entry.
 */

/** How the reference and files name channels, beside the enum's own names. */
const CHANNEL_ALIASES: Readonly<Record<string, Channel>> = { sms: 'MOBILE', mobilepush: 'MOBILE_PUSH', push: 'MOBILE_PUSH' };

const STAGING = [
  { name: 'ident', type: 'text' },
  { name: 'channel', type: 'text' },
  { name: 'priority', type: 'text' },
  { name: 'status', type: 'text' },
  /** '' when the channel has one account, as the service stores it. */
  { name: 'account', type: 'text' },
] as const;

interface SubscriptionRow extends MergeRow {
  readonly ident: string;
  readonly channel: Channel;
  readonly priority: MessagePriority;
  readonly status: SubscriptionStatus;
  readonly account: string;
}

function checkOrgUnit(refs: ReferenceData, row: RowReader): void {
  const code = row.value('orgUnitCode');
  if (!code) return;
  if (!refs.orgUnits.has(code)) row.error('ORG_UNIT_UNKNOWN', 'orgUnitCode', code, `The org has no org unit "${code}".`);
  else row.error('ORG_UNIT_SUBSCRIPTIONS_UNSUPPORTED', 'orgUnitCode', code, `Subscriptions are kept for the whole org, not per org unit: the row for "${code}" is not applied.`);
}

function prepareRow(ctx: JobContext, refs: ReferenceData, row: RowReader): StagedValue[] {
  checkOrgUnit(refs, row);
  return [
    prepareIdentifier(ctx, refs, row),
    requireChoice(row, 'channel', CHANNELS, 'SUBSCRIPTION_INVALID', CHANNEL_ALIASES),
    requireChoice(row, 'priority', MESSAGE_PRIORITIES, 'SUBSCRIPTION_INVALID'),
    requireChoice(row, 'status', SUBSCRIPTION_STATUSES, 'SUBSCRIPTION_INVALID'),
    maxLength(row, 'account', row.value('account') ?? '', 100) ?? '',
  ];
}

export const userSubscriptionsProfile: ImportProfile = {
  name: 'USER_SUBSCRIPTIONS',
  stagingColumns: STAGING,
  batchRows: SERVICE_BATCH_ROWS,
  dryRunMerges: true,
  async begin(ctx) {
    const refs = await loadReferenceData(ctx);
    return { prepare: (row) => prepareRow(ctx, refs, row) };
  },
  async check(ctx, stage) {
    await recordIssuesWhere(ctx, stage, customerNotFound(ctx, stage));
    await recordIssuesWhere(
      ctx,
      stage,
      duplicatesInFile(stage, {
        code: 'DUPLICATE_SUBSCRIPTION_IN_FILE',
        field: 'channel',
        columns: ['ident', 'channel', 'priority', 'account'],
        label: 'subscription',
        value: `s.ident || ' ' || s.channel || ' ' || s.priority || case when s.account <> '' then ' ' || s.account else '' end`,
      }),
    );
  },
  mergeBatch(tx, stage, batch) {
    return mergeRowByRow<SubscriptionRow>(tx, stage, batch, {
      select: 's.ident, s.channel, s.priority, s.status, s.account',
      async apply(rowTx, row) {
        await updateSubscription(rowTx, { customer: customerRef(rowTx, row.ident), channel: row.channel, priority: row.priority, status: row.status, account: row.account });
      },
    });
  },
};
