import { selectRows, writeRows } from '../../../core/sql/rows.js';
import { openPointsBalances } from '../../../domain/points/points.service.js';
import { maps, mayUpdate } from '../catalog.js';
import { customerByIdentifier, identifierType } from '../customer-match.js';
import { acceptedRows, type BatchRange, type JobContext, type MergeResult, type RowIssue, type StageTable } from '../profile.js';
import { buildOwners, keepsExternalIdOwners, matchTable, ownersTable } from './tables.js';

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
 * Before the first batch: a job whose checks did not build the table of its external ids' owners
 * (checked by a release that had none, and resumed) gets it now, from the data as it is.
 */
export async function beforeMerge(ctx: JobContext, stage: StageTable): Promise<void> {
  if (!keepsExternalIdOwners(ctx)) return;
  const [found] = await selectRows<{ owners: string | null }>(ctx.em, 'select to_regclass(?) as owners', [ownersTable(stage)]);
  if (!found.owners) await buildOwners(ctx, stage);
}

export async function mergeBatch(tx: JobContext, stage: StageTable, batch: BatchRange): Promise<MergeResult> {
  const org = tx.org.id;
  const now = tx.clock.now();
  const refs = await loadProgram(tx);
  // The batch's accepted rows, each with the customer it updates or the id of the one it adds (and
  // the holder of its external id when the checks looked them up).
  const owners = keepsExternalIdOwners(tx);
  // A new row's ids are drawn here, with plain nextval, in the batch's transaction: they are the
  // batch's alone without any lock, and those of a batch that rolls back are simply never used.
  // Reserving blocks for the whole file instead would move the sequences under `lock table
  // customer` (and loyalty_enrollment), which waits behind every open write of these tables in
  // every org, and holds all of them up meanwhile.
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
 * triggers check a row's keys one by one (`select … for key share` per key per row); here every
 * distinct store, status label, tier, program, org and existing customer of the batch is locked
 * FOR KEY SHARE in one statement each, which is what those checks do, and the triggers are
 * skipped for the inserts (`session_replication_role = replica`, local to the transaction; needs
 * a superuser or `GRANT SET ON PARAMETER session_replication_role`).
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
    const lost = await writeRows<{ row: number; line: number; mobile: string | null; email: string | null; mobileTaken: boolean }>(
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
export async function afterMerge(tx: JobContext, stage: StageTable): Promise<void> {
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
