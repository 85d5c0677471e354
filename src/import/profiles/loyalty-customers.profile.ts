import { selectRows } from '../../core/sql/rows.js';
import { CHANNELS, MESSAGE_PRIORITIES } from '../../domain/customer/customer.entity.js';
import { lifetimeCredit } from '../../domain/points/ledger.js';
import { openPointsBalances } from '../../domain/points/points.service.js';
import { poolOf } from '../file-store.js';
import type { ImportIdentifierType } from '../import.options.js';
import { loadReferenceData, type ReferenceData } from '../checks/reference-data.js';
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
} from '../checks/validators.js';
import { identifierField, maps, mayUpdate } from './catalog.js';
import { customerByIdentifier, identifierType } from './customer-match.js';
import { acceptedRows, type BatchRange, type ImportProfile, type JobContext, type MergeResult, type RowIssue, type RowReader, type StageTable, type StagedValue } from './profile.js';
import { duplicatesInFile, recordIssuesOf, type IssueQuery } from './set-checks.js';

/**
 * Loyalty Customers: adds customers and updates existing ones, set-based. Each row is checked on
 * its own while the file is read; then SQL over all staged rows finds what only the whole file
 * and the existing data can tell (values duplicated in the file, identifiers of other customers,
 * customers that may not be changed); then batches are merged with INSERT … ON CONFLICT.
 *
 * Points (loyaltyPoints, lifetimePoints) carry over into the ledger for the customers the import
 * creates, in the batch that creates them, by the points rule for opening balances
 * (`openPointsBalances`: an IMPORT credit of the lifetime points, an IMPORT debit of what was
 * spent), so the balance stays the ledger's sum and lifetime points the sum of credits; a batch
 * is merged once, and a customer is opened once. An existing customer's points are its ledger's:
 * a row giving other values for them is refused (POINTS_CHANGE_NOT_ALLOWED), like a mobile change.
 */

const STAGING = [
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

function prepareRow(ctx: JobContext, refs: ReferenceData, row: RowReader): StagedValue[] {
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

/** The staged column holding each identifier type's value (a user id is no column of its own). */
const IDENTIFIER_COLUMNS: Record<ImportIdentifierType, string | undefined> = { MOBILE: 'mobile', EMAIL: 'email', EXTERNAL_ID: 'external_id', USER_ID: undefined };

function matchTable(stage: StageTable): string {
  return `${stage.name}_match`;
}

/** The staged rows whose external id some customer of the org holds, with that customer. */
function ownersTable(stage: StageTable): string {
  return `${stage.name}_owners`;
}

/**
 * Whether the rows' external ids are looked up once, for the checks and the merge alike: when the
 * template maps them and the rows are not matched by them (then a matched row's external id is its
 * customer's by definition).
 */
function keepsExternalIdOwners(ctx: JobContext): boolean {
  return maps(ctx.job, 'externalId') && identifierType(ctx) !== 'EXTERNAL_ID';
}

/** Builds `name` from `select` (rows keyed by `row`) on a connection of its own. */
async function buildRowTable(ctx: JobContext, name: string, select: string): Promise<void> {
  const client = await (await poolOf(ctx.em)).connect();
  try {
    await client.query('begin');
    // Built two at a time: both cores are in use without parallel workers.
    await client.query('set local max_parallel_workers_per_gather = 0');
    await client.query(`drop table if exists ${name}`);
    await client.query(`create table ${name} as ${select}`);
    await client.query(`alter table ${name} add primary key (row)`);
    await client.query('commit');
    await client.query(`analyze ${name}`);
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** The owners of the staged rows' external ids, as the checks find them (the merge skips the external ids a row's customer holds already). */
function buildOwners(ctx: JobContext, stage: StageTable): Promise<void> {
  return buildRowTable(
    ctx,
    ownersTable(stage),
    `select s.row, s.line, s.external_id, o.customer_id
     from ${stage.name} s join customer_external_id o on o.org_id = ${ctx.org.id} and o.value = s.external_id`,
  );
}

async function check(ctx: JobContext, stage: StageTable): Promise<void> {
  const org = ctx.org.id;
  const type = identifierType(ctx);
  const match = matchTable(stage);
  const options = ctx.job.options;
  const owners = keepsExternalIdOwners(ctx);
  // Which existing customer each row is about (or none: a new customer), and who holds each row's
  // external id: two joins of every staged row, side by side.
  await Promise.all([
    buildRowTable(
      ctx,
      match,
      `select s.row, c.id as customer_id, c.mobile, sl.standard_status, c.fraud_status
       from ${stage.name} s ${customerByIdentifier(type, org, 'c', 's.ident')} left join status_label sl on sl.id = c.status_label_id
       where s.ident is not null`,
    ),
    owners ? buildOwners(ctx, stage) : undefined,
  ]);

  // A column the template does not map is staged empty: its checks would read every row for nothing.
  const checks: IssueQuery[] = [];
  for (const [column, field, code, label] of [
    ['mobile', 'mobile', 'DUPLICATE_MOBILE_IN_FILE', 'mobile'],
    ['email', 'email', 'DUPLICATE_EMAIL_IN_FILE', 'email'],
    ['external_id', 'externalId', 'DUPLICATE_EXTERNAL_ID_IN_FILE', 'external id'],
  ] as const) {
    if (maps(ctx.job, field)) checks.push(duplicatesInFile(stage, { code, field, columns: [column], label }));
  }
  if (type === 'USER_ID') {
    checks.push({
      code: 'CUSTOMER_NOT_FOUND',
      field: 'userId',
      value: 's.ident',
      message: `'No customer has the user id ' || s.ident || ': rows identified by user id only update existing customers.'`,
      from: `${stage.name} s left join ${match} m on m.row = s.row`,
      where: 's.ident is not null and m.row is null',
    });
  }
  if (options.disableUpdate) {
    checks.push({
      code: 'CUSTOMER_UPDATE_DISABLED',
      field: identifierField(options),
      value: 's.ident',
      message: `'Customer ' || m.customer_id || ' already exists and this template does not update existing customers.'`,
      from: `${stage.name} s join ${match} m on m.row = s.row`,
    });
  }
  checks.push(
    {
      code: 'CUSTOMER_INACTIVE',
      field: identifierField(options),
      value: 's.ident',
      message: `'Customer ' || m.customer_id || ' is ' || lower(m.standard_status) || ' and cannot be changed by an import.'`,
      from: `${stage.name} s join ${match} m on m.row = s.row`,
      where: `m.standard_status in ('SUSPENDED', 'DELETED')`,
    },
    {
      code: 'CUSTOMER_FRAUD',
      field: identifierField(options),
      value: 's.ident',
      message: `'Customer ' || m.customer_id || ' is marked as fraud and cannot be changed by an import.'`,
      from: `${stage.name} s join ${match} m on m.row = s.row`,
      where: `(m.standard_status in ('FRAUD_SUSPECTED', 'FRAUD_CONFIRMED') or m.fraud_status in ('MARKED', 'CONFIRMED', 'RECONFIRMED'))`,
    },
    {
      code: 'MOBILE_CHANGE_NOT_ALLOWED',
      field: 'mobile',
      value: 's.mobile',
      message: `'Customer ' || m.customer_id || ' has the mobile ' || m.mobile || '; an import cannot change it to ' || s.mobile || '.'`,
      from: `${stage.name} s join ${match} m on m.row = s.row`,
      where: 's.mobile is not null and m.mobile is not null and m.mobile <> s.mobile',
    },
  );
  // Another customer's mobile, email or external id. Not for the column the rows are matched by:
  // the customer holding a row's identifier is the row's own customer (the keys are unique).
  const ownColumn = IDENTIFIER_COLUMNS[type];
  const belongsToOther: IssueQuery[] = [
    {
      code: 'MOBILE_BELONGS_TO_OTHER_CUSTOMER',
      field: 'mobile',
      value: 's.mobile',
      message: `'The mobile ' || s.mobile || ' is already registered to another customer.'`,
      from: `${stage.name} s join customer o on o.org_id = ${org} and o.mobile = s.mobile left join ${match} m on m.row = s.row`,
      where: 'o.id is distinct from m.customer_id',
    },
    {
      code: 'EMAIL_BELONGS_TO_OTHER_CUSTOMER',
      field: 'email',
      value: 's.email',
      message: `'The email ' || s.email || ' is already registered to another customer.'`,
      from: `${stage.name} s join customer o on o.org_id = ${org} and o.email = s.email left join ${match} m on m.row = s.row`,
      where: 'o.id is distinct from m.customer_id',
    },
    {
      code: 'EXTERNAL_ID_BELONGS_TO_OTHER_CUSTOMER',
      field: 'externalId',
      value: 's.external_id',
      message: `'The external id ' || s.external_id || ' is already associated with another customer.'`,
      // The owners found above (built whenever this check runs): `s` has the staged row's row, line and external id.
      from: `${ownersTable(stage)} s left join ${match} m on m.row = s.row`,
      where: 's.customer_id is distinct from m.customer_id',
    },
  ];
  checks.push(...belongsToOther.filter((query) => query.value !== `s.${ownColumn}` && maps(ctx.job, query.field)));
  checks.push(
    {
      code: 'JOIN_DATE_MISSING',
      field: 'joinedAt',
      value: 'null',
      message: `'A new customer needs a join date.'`,
      from: `${stage.name} s left join ${match} m on m.row = s.row`,
      where: 's.joined_empty and m.row is null',
    },
    {
      code: 'PARENT_IS_SELF',
      field: 'parent',
      value: 's.parent_ident',
      message: `'A customer cannot be its own fleet parent.'`,
      from: `${stage.name} s`,
      where: 's.parent_ident = s.ident',
    },
    {
      code: 'PARENT_NOT_FOUND',
      field: 'parent',
      value: 's.parent_ident',
      message: `'The fleet parent ' || s.parent_ident || ' is neither a customer of the org nor a customer of this file.'`,
      from: `${stage.name} s`,
      where: `s.parent_ident is not null and s.parent_ident <> coalesce(s.ident, '')
        and not exists (select 1 from ${stage.name} p where p.ident = s.parent_ident)
        and not exists (select 1 from ${stage.name} x ${customerByIdentifier(type, org, 'p', 'x.parent_ident')} where x.row = s.row)`,
    },
  );
  const pointsCheck = pointsChangeOfExistingCustomers(ctx, stage);
  if (pointsCheck) checks.push(pointsCheck);
  await recordIssuesOf(ctx, stage, checks);
}

/**
 * Rows that would give an existing customer other points than its ledger holds (in the default
 * program), where the template may update them. The same values are fine: a file imported again.
 */
function pointsChangeOfExistingCustomers(ctx: JobContext, stage: StageTable): IssueQuery | undefined {
  const balance = mayUpdate(ctx.job, 'loyaltyPoints');
  const lifetime = mayUpdate(ctx.job, 'lifetimePoints');
  if (!balance && !lifetime) return undefined;
  return {
    code: 'POINTS_CHANGE_NOT_ALLOWED',
    field: 'loyaltyPoints',
    value: `concat_ws(' / ', s.loyalty_points, s.lifetime_points)`,
    message: `'Customer ' || m.customer_id || ' has ' || p.balance || ' points (' || p.lifetime || ' lifetime) in its ledger: an import carries points over for new customers only.'`,
    from: `${stage.name} s join ${matchTable(stage)} m on m.row = s.row
           join loyalty_program lp on lp.org_id = ${ctx.org.id} and lp.is_default
           cross join lateral (
             select coalesce(sum(x.points), 0) as balance, coalesce(sum(x.points) filter (where ${lifetimeCredit('x')}), 0) as lifetime
             from points_ledger_entry x where x.org_id = ${ctx.org.id} and x.program_id = lp.id and x.customer_id = m.customer_id
           ) p`,
    where: `(${balance} and s.loyalty_points is distinct from p.balance and s.loyalty_points is not null)
         or (${lifetime} and s.lifetime_points is distinct from p.lifetime and s.lifetime_points is not null)`,
  };
}

/** Columns an existing customer's row may change, when the template maps them and allows updating them. */
const UPDATABLE_COLUMNS: readonly { field: string; column: string; value: string }[] = [
  { field: 'mobile', column: 'mobile', value: 'coalesce(c.mobile, b.mobile)' },
  { field: 'email', column: 'email', value: 'coalesce(b.email, c.email)' },
  { field: 'firstName', column: 'first_name', value: 'coalesce(b.first_name, c.first_name)' },
  { field: 'lastName', column: 'last_name', value: 'coalesce(b.last_name, c.last_name)' },
  { field: 'joinedAt', column: 'joined_at', value: 'coalesce(b.joined_at, c.joined_at)' },
  { field: 'storeCode', column: 'join_store_id', value: 'coalesce(b.join_store_id, c.join_store_id)' },
  { field: 'statusLabel', column: 'status_label_id', value: 'coalesce(b.status_label_id, c.status_label_id)' },
  { field: 'statusReason', column: 'status_reason', value: 'coalesce(b.status_reason, c.status_reason)' },
  { field: 'custom.', column: 'custom_fields', value: 'case when b.custom is null then c.custom_fields else jsonb_strip_nulls(c.custom_fields || b.custom) end' },
  { field: 'extended.', column: 'extended_fields', value: 'case when b.extended is null then c.extended_fields else jsonb_strip_nulls(c.extended_fields || b.extended) end' },
];

/**
 * Before the first batch: a job an earlier version checked has no table of its external ids'
 * owners; it is built now, from the data as it is. (An earlier version also reserved blocks of
 * ids here, in a `_ids` table; a job it began draws its remaining ids as below, past those blocks.)
 */
async function beforeMerge(ctx: JobContext, stage: StageTable): Promise<void> {
  if (!keepsExternalIdOwners(ctx)) return;
  const [found] = await selectRows<{ owners: string | null }>(ctx.em, 'select to_regclass(?) as owners', [ownersTable(stage)]);
  if (!found.owners) await buildOwners(ctx, stage);
}

async function mergeBatch(tx: JobContext, stage: StageTable, batch: BatchRange): Promise<MergeResult> {
  const org = tx.org.id;
  const now = tx.clock.now();
  const refs = await loadProgram(tx);
  // The batch's accepted rows, each with the customer it updates or the id of the one it adds (and
  // the holder of its external id when the checks looked them up).
  const owners = keepsExternalIdOwners(tx);
  // A new row's ids are drawn here, with plain nextval, in the batch's transaction: they are the
  // batch's alone without any lock, and those of a batch that rolls back are simply never used.
  // An earlier version reserved blocks for the whole file by moving the sequences under `lock
  // table customer` (and loyalty_enrollment), which waited behind every open write of these tables
  // in every org, and held all of them up meanwhile.
  await tx.em.execute(
    `create temp table b on commit drop as
       select s.*, m.customer_id as existing_id, case when m.customer_id is null then nextval(q.customers) end as new_id,
              case when m.customer_id is null then nextval(q.enrollments) end as new_enrollment_id, false as failed,
              ${owners ? 'x.customer_id' : 'null::bigint'} as external_id_owner
       from (select pg_get_serial_sequence('customer', 'id')::regclass as customers, pg_get_serial_sequence('loyalty_enrollment', 'id')::regclass as enrollments offset 0) q
       cross join ${stage.name} s left join ${matchTable(stage)} m on m.row = s.row and m.row between ${batch.firstRow} and ${batch.lastRow}
       ${owners ? `left join ${ownersTable(stage)} x on x.row = s.row and x.row between ${batch.firstRow} and ${batch.lastRow}` : ''}
       where s.row between ${batch.firstRow} and ${batch.lastRow} and ${acceptedRows(stage, batch)}`,
  );
  const guarded = !(await writeCustomersChecked(tx, refs));
  const issues = guarded ? await writeCustomersGuarded(tx, refs) : [];
  if (mayUpdate(tx.job, 'tierName') || mayUpdate(tx.job, 'lifetimePurchases')) {
    await tx.em.execute(
      `insert into loyalty_enrollment (org_id, program_id, customer_id, tier_id, lifetime_purchases, enrolled_at)
       select ?, ?, existing_id, coalesce(tier_id, ?), coalesce(lifetime_purchases, 0), ? from b
       where existing_id is not null and not failed and (tier_id is not null or lifetime_purchases is not null)
       on conflict (org_id, program_id, customer_id) do update set
         tier_id = case when ? then coalesce((select tier_id from b where b.existing_id = excluded.customer_id), loyalty_enrollment.tier_id) else loyalty_enrollment.tier_id end,
         lifetime_purchases = case when ? then coalesce((select lifetime_purchases from b where b.existing_id = excluded.customer_id), loyalty_enrollment.lifetime_purchases) else loyalty_enrollment.lifetime_purchases end`,
      [org, refs.programId, refs.baseTierId, now, mayUpdate(tx.job, 'tierName'), mayUpdate(tx.job, 'lifetimePurchases')],
    );
  }
  // A file without points or subscription columns has none to write: two statements fewer a batch.
  if (maps(tx.job, 'loyaltyPoints') || maps(tx.job, 'lifetimePoints')) await openCarriedOverPoints(tx, refs.programId);
  if (maps(tx.job, 'subscription.')) {
    await tx.em.execute(
      `insert into channel_subscription (org_id, customer_id, channel, priority, account, status, updated_at)
       select ?, coalesce(b.existing_id, b.new_id), x.channel, x.priority, '', x.status, ?
       from b cross join lateral jsonb_to_recordset(b.subscriptions) as x(channel text, priority text, status text)
       where b.subscriptions is not null and not b.failed and (b.new_id is not null or ?)
       on conflict (org_id, customer_id, channel, priority, account, org_unit_id) do update set status = excluded.status, updated_at = excluded.updated_at`,
      [org, now, mayUpdate(tx.job, 'subscription.')],
    );
  }
  const applied = await selectRows<{ count: string }>(tx.em, 'select count(*) from b where not failed');
  return { applied: Number(applied[0].count), issues, guarded };
}

interface ProgramRefs {
  readonly programId: number;
  readonly baseTierId: number;
}

/**
 * The UPDATE of the batch's existing customers (parameter: the time), with the columns the template
 * may change; none when it may change none. A customer whose row brings nothing new is left as it
 * is (no new row version or index entries, `updatedAt` kept): importing a file again leaves its
 * customers' rows as they are. The batch's new rows are passed over before the join (no lookup of
 * a null customer id for each).
 */
function updateExisting(tx: JobContext): string | undefined {
  const columns = UPDATABLE_COLUMNS.filter((column) => mayUpdate(tx.job, column.field));
  if (columns.length === 0) return undefined;
  const sets = columns.map((column) => `${column.column} = ${column.value}`).join(', ');
  const changes = `(${columns.map((column) => column.value).join(', ')}) is distinct from (${columns.map((column) => `c.${column.column}`).join(', ')})`;
  return `update customer c set ${sets}, updated_at = ? from b where b.existing_id is not null and c.id = b.existing_id and not b.failed and ${changes}`;
}

function insertNewCustomers(onConflict: string): string {
  return `insert into customer (id, org_id, first_name, last_name, mobile, email, joined_at, join_store_id, status_label_id, status_reason,
                                custom_fields, extended_fields, created_at, updated_at)
          select new_id, ?, first_name, last_name, mobile, email, coalesce(joined_at, ?), join_store_id, status_label_id, status_reason,
                 coalesce(jsonb_strip_nulls(custom), '{}'), coalesce(jsonb_strip_nulls(extended), '{}'), ?, ?
          from b where new_id is not null and not failed
          ${onConflict}`;
}

const ENROL_NEW = `insert into loyalty_enrollment (id, org_id, program_id, customer_id, tier_id, lifetime_purchases, enrolled_at)
  select new_enrollment_id, ?, ?, new_id, coalesce(tier_id, ?), coalesce(lifetime_purchases, 0), coalesce(joined_at, ?) from b where new_id is not null and not failed`;

/**
 * The fast way to write the batch's customers, external ids and enrolments: plain INSERTs, and
 * each key the rows refer to checked once for the batch instead of once per row. Foreign-key
 * triggers check a row's keys one by one (`select … for key share` per key per row: half of the
 * time of these inserts); here every distinct store, status label, tier, program, org and
 * existing customer of the batch is locked FOR KEY SHARE in one statement each, which is what
 * those checks do, and the triggers are skipped for the inserts (`session_replication_role =
 * replica`, local to the transaction; needs a superuser or `GRANT SET ON PARAMETER
 * session_replication_role`).
 *
 * Returns false, having written nothing, when it cannot be used: the role may not skip triggers,
 * the tables have triggers of their own (someone's audit or fault injection: they must fire), a
 * key is gone, or a mobile, email or external id was taken after the checks ran (a unique
 * violation). The guarded way then writes the batch.
 */
async function writeCustomersChecked(tx: JobContext, refs: ProgramRefs): Promise<boolean> {
  const org = tx.org.id;
  const now = tx.clock.now();
  const update = updateExisting(tx);
  if (!(await maySkipTriggers(tx))) return false;
  const [keys] = await selectRows<{ present: boolean }>(
    tx.em,
    `with k as materialized (
       select array_agg(distinct join_store_id) filter (where join_store_id is not null) as stores,
              array_agg(distinct status_label_id) filter (where status_label_id is not null) as labels,
              array_agg(distinct coalesce(tier_id, ?)) filter (where new_id is not null) as tiers
       from b where not failed)
     select (select count(*) from (select 1 from org where id = ? for key share) x) = 1
        and (select count(*) from (select 1 from loyalty_program where id = ? for key share) x) = 1
        and (select count(*) from (select 1 from store where id in (select unnest(stores) from k) for key share) x) = coalesce(cardinality((select stores from k)), 0)
        and (select count(*) from (select 1 from status_label where id in (select unnest(labels) from k) for key share) x) = coalesce(cardinality((select labels from k)), 0)
        and (select count(*) from (select 1 from tier where id in (select unnest(tiers) from k) for key share) x) = coalesce(cardinality((select tiers from k)), 0)
        ${update ? '' : existingCustomersLocked} as present`,
    [refs.baseTierId, org, refs.programId],
  );
  if (!keys.present) return false;
  await tx.em.execute('savepoint checked_write');
  try {
    await tx.em.execute('set local session_replication_role = replica');
    await tx.em.execute(insertNewCustomers(''), [org, now, now, now]);
    if (update) {
      // The update locks the customers it changes; the others (those not updated) are locked FOR
      // KEY SHARE, as the key check does when nothing is updated. Each must still be there.
      const [counted] = await selectRows<{ count: string; expected: string }>(
        tx.em,
        `with updated as (${update} returning c.id),
              kept as (select c.id from customer c
                       where c.id in (select existing_id from b where existing_id is not null and not failed except select id from updated)
                       for key share of c)
         select (select count(*) from updated) + (select count(*) from kept) as count, (select count(distinct existing_id) from b where not failed) as expected`,
        [now],
      );
      if (counted.count !== counted.expected) throw new KeyGone();
    }
    await tx.em.execute(
      `insert into customer_external_id (org_id, customer_id, value, created_at)
       select ?, new_id, external_id, ? from b where external_id is not null and new_id is not null and not failed`,
      [org, now],
    );
    // An existing customer may hold the external id already (its own: the checks refused anyone
    // else's). The checks found who held each one, so only the others are inserted; one given to
    // the customer since then is a conflict, and left as it is. Rows matched by their external id
    // have none to add.
    if (keepsExternalIdOwners(tx)) {
      await tx.em.execute(
        `insert into customer_external_id (org_id, customer_id, value, created_at)
         select ?, existing_id, external_id, ? from b
         where external_id is not null and existing_id is not null and not failed and external_id_owner is null
         on conflict (org_id, value) do nothing`,
        [org, now],
      );
    }
    await tx.em.execute(ENROL_NEW, [org, refs.programId, refs.baseTierId, now]);
    await tx.em.execute('set local session_replication_role = origin');
    await tx.em.execute('release savepoint checked_write');
    return true;
  } catch (error) {
    await tx.em.execute('rollback to savepoint checked_write');
    if (error instanceof KeyGone || isUniqueViolation(error)) return false;
    throw error;
  }
}

/**
 * Whether this transaction may skip the tables' triggers: the role may set
 * session_replication_role (a superuser; from PostgreSQL 15 on, also a role granted it), and no
 * trigger of anyone's own sits on the tables written (those must fire).
 */
async function maySkipTriggers(tx: JobContext): Promise<boolean> {
  const [role] = await selectRows<{ superuser: boolean; version: number; ownTriggers: boolean }>(
    tx.em,
    `select current_setting('is_superuser') = 'on' as superuser, current_setting('server_version_num')::int as version,
            exists (select 1 from pg_trigger where tgrelid in ('customer'::regclass, 'customer_external_id'::regclass, 'loyalty_enrollment'::regclass) and not tgisinternal) as own_triggers`,
  );
  if (role.ownTriggers) return false;
  if (role.superuser) return true;
  if (role.version < 150000) return false;
  const [granted] = await selectRows<{ granted: boolean }>(tx.em, `select has_parameter_privilege('session_replication_role', 'SET') as granted`);
  return granted.granted;
}

/** A customer of the batch went away between the key check and the write. */
class KeyGone extends Error {}

const existingCustomersLocked = `and (select count(*) from (select 1 from customer where id in (select existing_id from b where not failed) for key share) x)
            = (select count(distinct existing_id) from b where not failed)`;

function isUniqueViolation(error: unknown): boolean {
  const candidate = error as { code?: unknown; cause?: unknown } | null;
  if (!candidate || typeof candidate !== 'object') return false;
  return candidate.code === '23505' || isUniqueViolation(candidate.cause);
}

/**
 * The guarded way: INSERT … ON CONFLICT with the foreign-key triggers on. A row whose mobile or
 * email someone registered after the checks is refused (reported), and the rest go on.
 */
async function writeCustomersGuarded(tx: JobContext, refs: ProgramRefs): Promise<RowIssue[]> {
  const org = tx.org.id;
  const now = tx.clock.now();
  const inserted = await selectRows<{ count: string }>(tx.em, `with inserted as (${insertNewCustomers('on conflict do nothing returning id')}) select count(*) from inserted`, [
    org,
    now,
    now,
    now,
  ]);
  const issues: RowIssue[] = [];
  const expected = await selectRows<{ count: string }>(tx.em, 'select count(*) from b where new_id is not null and not failed');
  if (Number(inserted[0].count) < Number(expected[0].count)) {
    // Someone registered one of these mobiles or emails after the checks: those rows are refused, the rest go on.
    const lost = await selectRows<{ row: number; line: number; mobile: string | null; email: string | null; mobileTaken: boolean }>(
      tx.em,
      `update b set failed = true where new_id is not null and not exists (select 1 from customer c where c.id = b.new_id)
       returning row, line, mobile, email, exists (select 1 from customer o where o.org_id = ? and o.mobile = b.mobile) as mobile_taken`,
      [org],
    );
    for (const row of lost) {
      const byMobile = row.mobileTaken;
      issues.push({
        row: row.row,
        line: row.line,
        kind: 'ERROR',
        code: byMobile ? 'MOBILE_BELONGS_TO_OTHER_CUSTOMER' : 'EMAIL_BELONGS_TO_OTHER_CUSTOMER',
        field: byMobile ? 'mobile' : 'email',
        value: byMobile ? row.mobile : row.email,
        corrected: null,
        message: `The ${byMobile ? `mobile ${row.mobile}` : `email ${row.email}`} was registered to another customer while the import ran.`,
      });
    }
  }
  const update = updateExisting(tx);
  if (update) await tx.em.execute(update, [now]);
  await tx.em.execute(
    `insert into customer_external_id (org_id, customer_id, value, created_at)
     select ?, coalesce(existing_id, new_id), external_id, ? from b where external_id is not null and not failed
     on conflict (org_id, value) do nothing`,
    [org, now],
  );
  // New customers are members of the default program at once (base tier unless the file names one).
  await tx.em.execute(`${ENROL_NEW} on conflict do nothing`, [org, refs.programId, refs.baseTierId, now]);
  return issues;
}

/** The points the batch's new customers carry over: balance (0 by default) and lifetime points (the balance by default). */
async function openCarriedOverPoints(tx: JobContext, programId: number): Promise<void> {
  const rows = await selectRows<{ newId: string; loyaltyPoints: number | null; lifetimePoints: number | null }>(
    tx.em,
    'select new_id, loyalty_points, lifetime_points from b where new_id is not null and not failed and (loyalty_points is not null or lifetime_points is not null)',
  );
  if (rows.length === 0) return;
  const members = rows.map((row) => {
    const balance = row.loyaltyPoints ?? 0;
    return { customerId: Number(row.newId), balance, lifetime: row.lifetimePoints ?? balance };
  });
  await openPointsBalances(tx, { programId, source: tx.actor, members });
}

async function loadProgram(ctx: JobContext): Promise<ProgramRefs> {
  const rows = await selectRows<{ programId: string; tierId: string }>(
    ctx.em,
    'select p.id as program_id, t.id as tier_id from loyalty_program p join tier t on t.program_id = p.id and t.rank = 0 where p.org_id = ? and p.is_default',
    [ctx.org.id],
  );
  if (!rows[0]) throw new Error(`Org ${ctx.org.id} has no default program with a base tier`);
  return { programId: Number(rows[0].programId), baseTierId: Number(rows[0].tierId) };
}

/** Fleet parents are linked once every batch is in: a parent may be a new customer of a later batch. */
async function afterMerge(tx: JobContext, stage: StageTable): Promise<void> {
  if (!maps(tx.job, 'parent')) return;
  const type = identifierType(tx);
  const org = tx.org.id;
  await tx.em.execute(
    `update customer child set parent_id = parent.id, updated_at = ?
     from ${stage.name} s ${customerByIdentifier(type, org, 'me', 's.ident')} ${customerByIdentifier(type, org, 'parent', 's.parent_ident')}
     where child.id = me.id and s.parent_ident is not null and ${acceptedRows(stage)} and child.parent_id is distinct from parent.id`,
    [tx.clock.now()],
  );
}

export const loyaltyCustomersProfile: ImportProfile = {
  name: 'LOYALTY_CUSTOMERS',
  stagingColumns: STAGING,
  batchRows: 10_000,
  dryRunMerges: false,
  // Rows identified by mobile, email or external id are about distinct customers (a value carried
  // twice rejects both rows), so batches may merge side by side; two rows may name one user id.
  mergeConcurrency: (ctx) => (identifierType(ctx) === 'USER_ID' ? 1 : 2),
  auxTables: ['match', 'ids', 'owners'],
  async begin(ctx) {
    const refs = await loadReferenceData(ctx);
    return { prepare: (row) => prepareRow(ctx, refs, row) };
  },
  check,
  beforeMerge,
  mergeBatch,
  afterMerge,
};
