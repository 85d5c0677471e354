import { selectRows } from '../../core/sql/rows.js';
import { loadReferenceData, type ReferenceData } from '../checks/reference-data.js';
import { checkRequiredDate, maxLength, requireValue } from '../checks/validators.js';
import { acceptedRows, type ImportProfile, type JobContext, type RowReader, type StageTable, type StagedValue } from './profile.js';
import { duplicatesInFile, recordIssuesOf, type IssueQuery } from './set-checks.js';

/**
 * Entity Life Cycle: maps customers' registrations to the org's source registration events
 * (WeChat Follow, WeChat Register, …) in `customer_lifecycle_event`, shown as
 * `Customer.registrationEvents`. Set-based: the table is this profile's alone (no service holds
 * other rules for it), so each batch is one INSERT … ON CONFLICT. A source's reference id names
 * one event: a row for a reference already recorded updates it, unless the template disables
 * updates, the reference belongs to another customer, or the row is older than what is recorded
 * (an older export imported late does not turn a state back).
 */

const ENTITY_TYPES = ['CUSTOMER'];
const USER_ID = /^[1-9][0-9]{0,15}$/;

const STAGING = [
  { name: 'customer_id', type: 'bigint' },
  { name: 'source_id', type: 'text' },
  { name: 'activity', type: 'text' },
  { name: 'state', type: 'text' },
  { name: 'added_by', type: 'text' },
  { name: 'reference_id', type: 'text' },
  { name: 'updated_on', type: 'timestamptz' },
] as const;

function checkEntity(row: RowReader): string | null {
  const type = requireValue(row, 'entityType');
  if (type !== null && !ENTITY_TYPES.includes(type.toUpperCase())) {
    row.error('ENTITY_TYPE_UNSUPPORTED', 'entityType', type, `Entities of type "${type}" are not supported: ${ENTITY_TYPES.join(', ')} is.`);
  }
  const id = requireValue(row, 'entityId');
  if (id !== null && !USER_ID.test(id)) {
    row.error('VALUE_INVALID', 'entityId', id, `"${id}" is not a user id.`);
    return null;
  }
  return id;
}

function prepareRow(ctx: JobContext, refs: ReferenceData, row: RowReader): StagedValue[] {
  const text = (field: string, limit: number): string | null => maxLength(row, field, requireValue(row, field), limit);
  return [
    checkEntity(row),
    text('sourceId', 100),
    text('activity', 100),
    text('state', 50),
    text('addedBy', 100),
    text('referenceId', 100),
    checkRequiredDate(row, 'updatedOn', refs, ctx.job.options, ctx.clock.now()),
  ];
}

function checks(ctx: JobContext, stage: StageTable): IssueQuery[] {
  const org = ctx.org.id;
  const recorded = `join customer_lifecycle_event e on e.org_id = ${org} and e.source_id = s.source_id and e.reference_id = s.reference_id`;
  const list: IssueQuery[] = [
    {
      code: 'CUSTOMER_NOT_FOUND',
      field: 'entityId',
      value: 's.customer_id',
      message: `'No customer of the org has the user id ' || s.customer_id || '.'`,
      from: `${stage.name} s left join customer c on c.org_id = ${org} and c.id = s.customer_id`,
      where: 's.customer_id is not null and c.id is null',
    },
    duplicatesInFile(stage, {
      code: 'DUPLICATE_REFERENCE_IN_FILE',
      field: 'referenceId',
      columns: ['source_id', 'reference_id'],
      label: 'reference',
      value: `s.reference_id || ' of source ' || s.source_id`,
    }),
    {
      code: 'REFERENCE_BELONGS_TO_OTHER_CUSTOMER',
      field: 'referenceId',
      value: 's.reference_id',
      message: `'The reference ' || s.reference_id || ' of source ' || s.source_id || ' is recorded for customer ' || e.customer_id || '.'`,
      from: `${stage.name} s ${recorded}`,
      where: 'e.customer_id <> s.customer_id',
    },
  ];
  if (ctx.job.options.disableUpdate) {
    list.push({
      code: 'RECORD_UPDATE_DISABLED',
      field: 'referenceId',
      value: 's.reference_id',
      message: `'The reference ' || s.reference_id || ' of source ' || s.source_id || ' is recorded already and this template does not update.'`,
      from: `${stage.name} s ${recorded}`,
    });
  }
  return list;
}

export const entityLifeCycleProfile: ImportProfile = {
  name: 'ENTITY_LIFE_CYCLE',
  stagingColumns: STAGING,
  batchRows: 10_000,
  dryRunMerges: false,
  async begin(ctx) {
    const refs = await loadReferenceData(ctx);
    return { prepare: (row) => prepareRow(ctx, refs, row) };
  },
  async check(ctx, stage) {
    await recordIssuesOf(ctx, stage, checks(ctx, stage));
  },
  async mergeBatch(tx, stage, batch) {
    const rows = `${stage.name} s where s.row between ${batch.firstRow} and ${batch.lastRow} and ${acceptedRows(stage, batch)}`;
    // The conflict's condition keeps a reference with its customer, and a state from going back in time.
    await tx.em.execute(
      `insert into customer_lifecycle_event (org_id, customer_id, source_id, activity, state, added_by, reference_id, updated_on, created_at)
       select ?, s.customer_id, s.source_id, s.activity, s.state, s.added_by, s.reference_id, s.updated_on, ? from ${rows}
       on conflict (org_id, source_id, reference_id) do update
         set activity = excluded.activity, state = excluded.state, added_by = excluded.added_by, updated_on = excluded.updated_on
         where customer_lifecycle_event.customer_id = excluded.customer_id and customer_lifecycle_event.updated_on <= excluded.updated_on`,
      [tx.org.id, tx.clock.now()],
    );
    const [counted] = await selectRows<{ n: string }>(tx.em, `select count(*) as n from ${rows}`);
    return { applied: Number(counted.n), issues: [] };
  },
};
