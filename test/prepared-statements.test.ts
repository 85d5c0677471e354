import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { preparedStatement } from '../src/core/sql/rows.js';

/** How statement texts become named prepared statements (src/core/sql/rows.ts). */
describe('named prepared statements', () => {
  it('names a text on its second run, with numbered placeholders, and keeps the name', () => {
    const sql = `select id from customer where org_id = ? and id = any(?::bigint[]) /* ${randomUUID()} */`;
    const first = preparedStatement(sql);
    expect(first.name).toBe('');
    expect(first.text).toContain('org_id = $1 and id = any($2::bigint[])');
    const second = preparedStatement(sql);
    expect(second.name).toMatch(/^r[0-9a-f]{20}$/);
    expect(preparedStatement(sql)).toBe(second);
  });

  it('runs texts that never come back unnamed, however many, and still names a repeated one after them', () => {
    // An import's statements name their job's staging table and batch rows: each text once.
    for (let batch = 0; batch < 5_000; batch++) {
      expect(preparedStatement(`update import_stage.job_7 set checked = true where row between ${batch * 1000} and ${batch * 1000 + 999}`).name).toBe('');
    }
    const sql = `select 1 where ? /* ${randomUUID()} */`;
    preparedStatement(sql);
    expect(preparedStatement(sql).name).not.toBe('');
  });
});
