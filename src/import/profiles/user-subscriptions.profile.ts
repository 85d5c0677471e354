import { CHANNELS, MESSAGE_PRIORITIES, SUBSCRIPTION_STATUSES, type Channel, type MessagePriority, type SubscriptionStatus } from '../../domain/customer/customer.entity.js';
import { ACCOUNT_MAX_LENGTH, writeConsents, type Consent } from '../../domain/customer/subscription.service.js';
import { loadReferenceData, type ReferenceData } from '../checks/reference-data.js';
import { maxLength, requireChoice } from '../checks/validators.js';
import { customerGoneIssue, customerNotFound, customerOfRow, prepareIdentifier } from './customer-match.js';
import type { ImportProfile, JobContext, RowIssue, RowReader, StagedValue } from './profile.js';
import { acceptedBatchRows, type MergeRow } from './service-merge.js';
import { duplicatesInFile, recordIssuesWhere } from './set-checks.js';

/**
 * User Subscriptions: opts customers in or out of a channel for one priority (and account), for
 * the whole org or for the org unit (concept) a row names. Each row is checked on its own against
 * the values `customerSubscriptionUpdate` takes, then across the file (one customer, channel,
 * priority, account and org unit on two rows is ambiguous consent: both are refused) and against
 * the org (the customer exists). A batch is written set-based by `writeConsents`, the writes
 * behind `customerSubscriptionUpdate` (the consent, an audit entry per row): consent files can be
 * large, and no row depends on another, so every check is made while validating and a dry run
 * need not merge.
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
  /** The org unit's code, '' for the whole org (never null: it is part of the key duplicates are found by). */
  { name: 'org_unit', type: 'text' },
  { name: 'org_unit_id', type: 'bigint' },
] as const;

interface SubscriptionRow extends MergeRow {
  readonly ident: string;
  readonly customerId: string | null;
  readonly channel: Channel;
  readonly priority: MessagePriority;
  readonly status: SubscriptionStatus;
  readonly account: string;
  readonly orgUnitId: string | null;
}

/** The org unit a row names (code and id), or none ('' and null): the consent is then the org's. */
function orgUnitOf(refs: ReferenceData, row: RowReader): [string, number | null] {
  const code = row.value('orgUnitCode');
  if (!code) return ['', null];
  const id = refs.orgUnits.get(code);
  if (id === undefined) {
    row.error('ORG_UNIT_UNKNOWN', 'orgUnitCode', code, `The org has no org unit "${code}".`);
    return [code, null];
  }
  return [code, id];
}

function prepareRow(ctx: JobContext, refs: ReferenceData, row: RowReader): StagedValue[] {
  return [
    prepareIdentifier(ctx, refs, row),
    requireChoice(row, 'channel', CHANNELS, 'SUBSCRIPTION_INVALID', CHANNEL_ALIASES),
    requireChoice(row, 'priority', MESSAGE_PRIORITIES, 'SUBSCRIPTION_INVALID'),
    requireChoice(row, 'status', SUBSCRIPTION_STATUSES, 'SUBSCRIPTION_INVALID'),
    maxLength(row, 'account', row.value('account') ?? '', ACCOUNT_MAX_LENGTH) ?? '',
    ...orgUnitOf(refs, row),
  ];
}

export const userSubscriptionsProfile: ImportProfile = {
  name: 'USER_SUBSCRIPTIONS',
  stagingColumns: STAGING,
  batchRows: 5_000,
  dryRunMerges: false,
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
        columns: ['ident', 'channel', 'priority', 'account', 'org_unit'],
        label: 'subscription',
        value: `s.ident || ' ' || s.channel || ' ' || s.priority || case when s.account <> '' then ' ' || s.account else '' end || case when s.org_unit <> '' then ' ' || s.org_unit else '' end`,
      }),
    );
  },
  async mergeBatch(tx, stage, batch) {
    const rows = await acceptedBatchRows<SubscriptionRow>(tx, stage, batch, 's.ident, s.channel, s.priority, s.status, s.account, s.org_unit_id, c.id as customer_id', customerOfRow(tx));
    const consents: Consent[] = [];
    const issues: RowIssue[] = [];
    for (const row of rows) {
      if (row.customerId === null) issues.push(customerGoneIssue(tx, row));
      else {
        consents.push({
          customerId: Number(row.customerId),
          channel: row.channel,
          priority: row.priority,
          status: row.status,
          account: row.account,
          orgUnitId: row.orgUnitId === null ? null : Number(row.orgUnitId),
        });
      }
    }
    await writeConsents(tx, consents);
    return { applied: consents.length, issues };
  },
};
