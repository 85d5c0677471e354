import { deferWrite } from '../../core/sql/deferred-writes.js';
import { writeRows } from '../../core/sql/rows.js';
import type { ServiceContext } from '../context.js';

export interface AuditRecord {
  readonly action: string;
  readonly subjectType: string;
  readonly subjectId: number | null;
  readonly details?: Record<string, unknown>;
}

/** Records who did what and when; call it inside the transaction of the change it describes (written with the transaction's other deferred writes, see deferWrite). */
export async function recordAudit(tx: ServiceContext, record: AuditRecord): Promise<void> {
  await deferWrite(
    tx.em,
    'insert into audit_entry (org_id, actor, action, subject_type, subject_id, details, created_at) values (?, ?, ?, ?, ?, ?, ?)',
    [tx.org.id, tx.actor, record.action, record.subjectType, record.subjectId, JSON.stringify(record.details ?? {}), tx.clock.now()],
  );
}

/** Records many changes at once (an import's batch), in the order given, inside their transaction. */
export async function recordAudits(tx: ServiceContext, records: readonly AuditRecord[]): Promise<void> {
  if (records.length === 0) return;
  await writeRows(
    tx.em,
    `insert into audit_entry (org_id, actor, action, subject_type, subject_id, details, created_at)
      select ?, ?, r.action, r.subject_type, r.subject_id, r.details::jsonb, ?
      from unnest(?::text[], ?::text[], ?::bigint[], ?::text[]) with ordinality as r(action, subject_type, subject_id, details, position)
      order by r.position`,
    [
      tx.org.id,
      tx.actor,
      tx.clock.now(),
      records.map((record) => record.action),
      records.map((record) => record.subjectType),
      records.map((record) => record.subjectId),
      records.map((record) => JSON.stringify(record.details ?? {})),
    ],
  );
}
