import type { ServiceContext } from '../../server/context.js';

export interface AuditRecord {
  readonly action: string;
  readonly subjectType: string;
  readonly subjectId: number | null;
  readonly details?: Record<string, unknown>;
}

/** Records who did what and when; call it inside the transaction of the change it describes. */
export async function recordAudit(tx: ServiceContext, record: AuditRecord): Promise<void> {
  await tx.em.execute(
    'insert into audit_entry (org_id, actor, action, subject_type, subject_id, details, created_at) values (?, ?, ?, ?, ?, ?, ?)',
    [tx.org.id, tx.actor, record.action, record.subjectType, record.subjectId, JSON.stringify(record.details ?? {}), tx.clock.now()],
  );
}
