import type { EntityManager } from '@mikro-orm/postgresql';
import { writeRows } from '../../core/sql/rows.js';
import type { RowIssue } from '../profiles/profile.js';
import { boundedText } from '../checks/bounded-text.js';

/**
 * Inserts row issues in one statement per batch. A job's issues are unique per row, kind, code and
 * field, so validating a file again (after a restart) re-finds the same issues without repeating them.
 * Returns the id of the last issue inserted (0 when none was new).
 */
export async function insertIssues(em: EntityManager, jobId: number, issues: readonly RowIssue[]): Promise<number> {
  if (issues.length === 0) return 0;
  const rows = await writeRows<{ max: string | null }>(
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
      // Cut here too: issues a merge reports come from the database, not from a row reader.
      issues.map((issue) => boundedText(issue.value)),
      issues.map((issue) => boundedText(issue.corrected)),
      issues.map((issue) => boundedText(issue.message)),
    ],
  );
  return rows[0]?.max ? Number(rows[0].max) : 0;
}

/** Characters an issue holds besides its texts (numbers, kind, code), as counted towards a flush. */
const ISSUE_OVERHEAD_CHARS = 64;

/**
 * Buffers issues found while reading a file and writes them in batches (outside the staging
 * transaction: `em` is not in one): when `maxIssues` are waiting, or their texts reach
 * `maxChars`, whichever comes first, so what a file's rows say never piles up in memory.
 */
export class IssueBuffer {
  private pending: RowIssue[] = [];
  private pendingChars = 0;

  constructor(
    private readonly em: EntityManager,
    private readonly jobId: number,
    private readonly onWritten: (lastIssueId: number) => void,
    private readonly maxIssues = 2_000,
    private readonly maxChars = 1024 * 1024,
  ) {}

  add(issues: readonly RowIssue[]): Promise<void> | undefined {
    if (issues.length === 0) return undefined;
    for (const issue of issues) {
      this.pending.push(issue);
      this.pendingChars += ISSUE_OVERHEAD_CHARS + issue.field.length + issue.message.length + (issue.value?.length ?? 0) + (issue.corrected?.length ?? 0);
    }
    return this.pending.length >= this.maxIssues || this.pendingChars >= this.maxChars ? this.flush() : undefined;
  }

  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.pendingChars = 0;
    const last = await insertIssues(this.em, this.jobId, batch);
    if (last > 0) this.onWritten(last);
  }
}
