import type { EntityManager } from '@mikro-orm/postgresql';
import { selectRows } from '../../../db/rows.js';
import type { RowIssue } from '../profiles/profile.js';

/**
 * Inserts row issues in one statement per batch. A job's issues are unique per row, kind, code and
 * field, so validating a file again (after a restart) re-finds the same issues without repeating them.
 * Returns the id of the last issue inserted (0 when none was new).
 */
export async function insertIssues(em: EntityManager, jobId: number, issues: readonly RowIssue[]): Promise<number> {
  if (issues.length === 0) return 0;
  const rows = await selectRows<{ max: string | null }>(
    em,
    `with inserted as (
       insert into import_row_issue (job_id, row, line, kind, code, field, value, corrected, message)
       select ?::bigint, * from unnest(?::int[], ?::int[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])
       on conflict (job_id, row, kind, code, field) do nothing
       returning id)
     select max(id) as max from inserted`,
    [
      jobId,
      issues.map((issue) => issue.row),
      issues.map((issue) => issue.line),
      issues.map((issue) => issue.kind),
      issues.map((issue) => issue.code),
      issues.map((issue) => issue.field.slice(0, 100)),
      issues.map((issue) => issue.value),
      issues.map((issue) => issue.corrected),
      issues.map((issue) => issue.message),
    ],
  );
  return rows[0]?.max ? Number(rows[0].max) : 0;
}

/** Buffers issues found while reading a file and writes them in batches (outside the staging transaction: `em` is not in one). */
export class IssueBuffer {
  private pending: RowIssue[] = [];

  constructor(
    private readonly em: EntityManager,
    private readonly jobId: number,
    private readonly onWritten: (lastIssueId: number) => void,
    private readonly limit = 2_000,
  ) {}

  add(issues: readonly RowIssue[]): Promise<void> | undefined {
    if (issues.length === 0) return undefined;
    this.pending.push(...issues);
    return this.pending.length >= this.limit ? this.flush() : undefined;
  }

  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    const last = await insertIssues(this.em, this.jobId, batch);
    if (last > 0) this.onWritten(last);
  }
}
