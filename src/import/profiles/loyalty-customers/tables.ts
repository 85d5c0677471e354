import { poolOf } from '../../file-store.js';
import { maps } from '../catalog.js';
import { identifierType } from '../customer-match.js';
import type { JobContext, StageTable } from '../profile.js';

/*
 * Tables the checks build beside the staging table and the merge reads again: which existing
 * customer each staged row is about, and who holds each row's external id.
 */

/** The staged rows matched to an existing customer, with its mobile and statuses. */
export function matchTable(stage: StageTable): string {
  return `${stage.name}_match`;
}

/** The staged rows whose external id some customer of the org holds, with that customer. */
export function ownersTable(stage: StageTable): string {
  return `${stage.name}_owners`;
}

/**
 * Whether the rows' external ids are looked up once, for the checks and the merge alike: when the
 * template maps them and the rows are not matched by them (then a matched row's external id is its
 * customer's by definition).
 */
export function keepsExternalIdOwners(ctx: JobContext): boolean {
  return maps(ctx.job, 'externalId') && identifierType(ctx) !== 'EXTERNAL_ID';
}

/** Builds `name` from `select` (rows keyed by `row`) on a connection of its own. */
export async function buildRowTable(ctx: JobContext, name: string, select: string): Promise<void> {
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
export function buildOwners(ctx: JobContext, stage: StageTable): Promise<void> {
  return buildRowTable(
    ctx,
    ownersTable(stage),
    `select s.row, s.line, s.external_id, o.customer_id
     from ${stage.name} s join customer_external_id o on o.org_id = ${ctx.org.id} and o.value = s.external_id`,
  );
}
