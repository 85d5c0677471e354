import { CHANNELS, MESSAGE_PRIORITIES } from '../../../domain/customer/customer.entity.js';
import type { ImportIdentifierType } from '../../import.options.js';
import type { ReferenceData } from '../../checks/reference-data.js';
import {
  checkAmount,
  checkDate,
  checkEmail,
  checkIdentifier,
  checkInteger,
  checkMobile,
  checkName,
  checkStore,
  maxLength,
} from '../../checks/validators.js';
import { identifierField } from '../catalog.js';
import { identifierType } from '../customer-match.js';
import type { JobContext, RowReader, StagedValue } from '../profile.js';

/** The staged columns, in the order `prepareRow` returns their values. */
export const STAGING = [
  { name: 'ident', type: 'text' },
  { name: 'user_id', type: 'bigint' },
  { name: 'mobile', type: 'text' },
  { name: 'email', type: 'text' },
  { name: 'external_id', type: 'text' },
  { name: 'first_name', type: 'text' },
  { name: 'last_name', type: 'text' },
  { name: 'joined_at', type: 'timestamptz' },
  { name: 'joined_empty', type: 'boolean' },
  { name: 'join_store_id', type: 'bigint' },
  { name: 'tier_id', type: 'bigint' },
  { name: 'loyalty_points', type: 'int' },
  { name: 'lifetime_points', type: 'int' },
  { name: 'lifetime_purchases', type: 'numeric' },
  { name: 'status_label_id', type: 'bigint' },
  { name: 'status_reason', type: 'text' },
  { name: 'parent_ident', type: 'text' },
  { name: 'custom', type: 'jsonb' },
  { name: 'extended', type: 'jsonb' },
  { name: 'subscriptions', type: 'jsonb' },
] as const;

const SUBSCRIPTION_STATUSES = ['OPTIN', 'OPTOUT'];

/** Custom or extended fields of a row: set values, and (unless kept) empty ones as null to erase them. */
function fieldsOf(row: RowReader, prefix: string, keepWhenEmpty: boolean): Record<string, string | null> | null {
  const entries = row.family(prefix);
  if (entries.length === 0) return null;
  const fields: Record<string, string | null> = {};
  for (const [name, value] of entries) {
    if (value) fields[name] = value.slice(0, 1000);
    else if (!keepWhenEmpty) fields[name] = null;
  }
  return fields;
}

function subscriptionsOf(row: RowReader): { channel: string; priority: string; status: string }[] | null {
  const entries = row.family('subscription.');
  if (entries.length === 0) return null;
  const subscriptions: { channel: string; priority: string; status: string }[] = [];
  for (const [name, value] of entries) {
    if (!value) continue;
    const [channel, priority] = name.split('.');
    const status = value.toUpperCase();
    if (!SUBSCRIPTION_STATUSES.includes(status) || !(CHANNELS as readonly string[]).includes(channel) || !(MESSAGE_PRIORITIES as readonly string[]).includes(priority)) {
      row.error('SUBSCRIPTION_INVALID', `subscription.${name}`, value, `"${value}" is not OPTIN or OPTOUT.`);
      continue;
    }
    subscriptions.push({ channel, priority, status });
  }
  return subscriptions.length > 0 ? subscriptions : null;
}

/** Points carried over for a new customer: a whole number, at most the org's opening cap (points are money; the column's range is no bound). */
function openingPoints(ctx: JobContext, row: RowReader, field: string): number | null {
  const points = checkInteger(row, field, 'POINTS_INVALID');
  const cap = ctx.org.importOpeningPointsCap;
  if (points === null || points <= cap) return points;
  row.error('OPENING_POINTS_OVER_CAP', field, String(points), `${points} points exceed the org's cap for an opening balance (${cap}, Org.importOpeningPointsCap).`);
  return null;
}

export function prepareRow(ctx: JobContext, refs: ReferenceData, row: RowReader): StagedValue[] {
  const options = ctx.job.options;
  const type = identifierType(ctx);
  const idField = identifierField(options);
  const mobile = row.has('mobile') ? checkMobile(row, 'mobile', refs, options) : null;
  const email = row.has('email') ? checkEmail(row, 'email', options) : null;
  const externalId = row.has('externalId') ? maxLength(row, 'externalId', row.value('externalId') || null, 100) : null;
  const userId = row.has('userId') && row.value('userId') ? checkIdentifier(row, 'USER_ID', 'userId', refs, options) : null;
  const byType: Record<ImportIdentifierType, string | null> = { MOBILE: mobile, EMAIL: email, EXTERNAL_ID: externalId, USER_ID: userId };
  let ident = byType[type];
  if (!ident && !row.rejected) ident = checkIdentifier(row, type, idField, refs, options);

  let joinedAt: Date | null = null;
  const joined = row.value('joinedAt');
  if (joined) {
    joinedAt = checkDate(row, 'joinedAt', joined, refs, options, 'JOIN_DATE_INVALID');
    if (joinedAt && joinedAt.getTime() > ctx.clock.now().getTime()) {
      row.error('JOIN_DATE_IN_FUTURE', 'joinedAt', joined, `The join date ${joined} is in the future.`);
      joinedAt = null;
    }
  }

  let tierId: number | null = null;
  const tierName = row.value('tierName');
  if (tierName) {
    tierId = refs.tiersByName.get(tierName.toLowerCase()) ?? null;
    if (tierId === null) row.error('TIER_UNKNOWN', 'tierName', tierName, `The default program has no tier "${tierName}".`);
  }
  let statusLabelId: number | null = null;
  const label = row.value('statusLabel');
  if (label) {
    statusLabelId = refs.statusLabels.get(label)?.id ?? null;
    if (statusLabelId === null) row.error('STATUS_LABEL_UNKNOWN', 'statusLabel', label, `The org has no status label "${label}".`);
  }
  const points = openingPoints(ctx, row, 'loyaltyPoints');
  const lifetimePoints = openingPoints(ctx, row, 'lifetimePoints');
  if (points !== null && lifetimePoints !== null && lifetimePoints < points) {
    row.error('POINTS_INVALID', 'lifetimePoints', String(lifetimePoints), `Lifetime points (${lifetimePoints}) cannot be less than the balance (${points}).`);
  }
  const parentValue = row.value('parent');
  let parent: string | null = null;
  if (parentValue) {
    if (type === 'MOBILE') parent = checkMobile(row, 'parent', refs, options);
    else if (type === 'EMAIL') parent = checkEmail(row, 'parent', options);
    else parent = checkIdentifier(row, type, 'parent', refs, options);
  }
  return [
    ident,
    userId,
    mobile,
    email,
    externalId,
    checkName(row, 'firstName'),
    checkName(row, 'lastName'),
    joinedAt,
    row.has('joinedAt') && !joined,
    checkStore(row, 'storeCode', refs, options, true),
    tierId,
    points,
    lifetimePoints,
    checkAmount(row, 'lifetimePurchases'),
    statusLabelId,
    maxLength(row, 'statusReason', row.value('statusReason') || null, 500),
    parent,
    fieldsOf(row, 'custom.', options.keepCustomFieldsWhenEmpty ?? false),
    fieldsOf(row, 'extended.', options.keepCustomFieldsWhenEmpty ?? false),
    subscriptionsOf(row),
  ];
}
