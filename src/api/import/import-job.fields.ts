import { Args, ArgsType, Ctx, Field, FieldResolver, Resolver, Root } from 'type-graphql';
import { PageArgs, pageRequest, toConnection, type ConnectionValue } from '../relay.js';
import { DateTimeScalar } from '../scalars.js';
import type { RequestContext } from '../context.js';
import { ImportFailure, ImportIssueCodeEnum, ImportIssueCount, ImportJob, ImportPhaseTiming, ImportProgress, ImportRowIssueConnection, type ImportRowIssue } from './import-job.types.js';
import { IMPORT_JOB_STATES, type ImportJobState } from '../../import/import.entity.js';
import { importTemplateById, issueCountsOfJob, issuesOfJob, type IssueCount } from './import.loaders.js';
import type { ImportIssueRow, ImportJobRow, ImportTemplateRow } from '../../import/import.rows.js';
import { replayableUntil } from '../../import/import.service.js';
import { ImportFieldMapping, ImportOptionsOutput, ImportTemplate } from './import.types.js';
import { progressOf } from '../../import/pipeline/progress.js';
import { presentOptions } from './template.fields.js';
import { toGlobalId } from '../relay.js';

@ArgsType()
class IssuesArgs extends PageArgs {
  @Field(() => ImportIssueCodeEnum, { nullable: true, description: 'Only issues with this code.' })
  code?: string | null;
}

function toIssue(row: ImportIssueRow): ImportRowIssue {
  return { row: row.row, line: row.line, code: row.code, field: row.field, value: row.value, correctedValue: row.corrected, message: row.message };
}

/** The counts retention kept for a purged job, most frequent first (as the loader orders them). */
function keptCounts(kept: Record<string, Record<string, number>>, kind: 'ERROR' | 'CORRECTION'): IssueCount[] {
  return Object.entries(kept[kind] ?? {})
    .map(([code, rows]) => ({ code, rows }))
    .sort((a, b) => b.rows - a.rows || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

@Resolver(() => ImportJob)
export class ImportJobFields {
  @FieldResolver(() => ImportTemplate, { nullable: true, description: 'The template the job was started with (it may have changed since: see mapping and options).' })
  template(@Root() job: ImportJobRow, @Ctx() ctx: RequestContext): Promise<ImportTemplateRow | null> | null {
    return job.templateId === null ? null : importTemplateById(ctx).load(job.templateId);
  }

  @FieldResolver(() => [ImportFieldMapping], { description: 'The mapping the job runs with.' })
  mapping(@Root() job: ImportJobRow): ImportFieldMapping[] {
    return job.mapping;
  }

  @FieldResolver(() => ImportOptionsOutput, { description: 'The options the job runs with.' })
  options(@Root() job: ImportJobRow, @Ctx() ctx: RequestContext): ImportOptionsOutput {
    return presentOptions(job.options, ctx);
  }

  @FieldResolver(() => ImportProgress, { description: 'Counters, rate and ETA, as `importProgress` streams them.' })
  progress(@Root() job: ImportJobRow, @Ctx() ctx: RequestContext): ImportProgress {
    const snapshot = progressOf(job, ctx.clock.now());
    return { ...snapshot, jobId: toGlobalId('ImportJob', job.id), updatedAt: new Date(snapshot.updatedAt), failure: this.failure(job) };
  }

  @FieldResolver(() => ImportFailure, { nullable: true, description: 'Why the job failed, when it did.' })
  failure(@Root() job: ImportJobRow): ImportFailure | null {
    return job.state === 'FAILED' && job.failureCode ? { code: job.failureCode, message: job.failureMessage ?? '' } : null;
  }

  @FieldResolver(() => DateTimeScalar, { nullable: true, description: 'Until when `importReplay` may run the job again; null when it may not.' })
  replayableUntil(@Root() job: ImportJobRow): Date | null {
    return replayableUntil(job);
  }

  @FieldResolver(() => [ImportPhaseTiming], { description: 'When each phase started and ended.' })
  phases(@Root() job: ImportJobRow): ImportPhaseTiming[] {
    return IMPORT_JOB_STATES.filter((state) => job.phases[state]).map((state: ImportJobState) => {
      const timing = job.phases[state];
      const startedAt = new Date(timing.startedAt);
      const finishedAt = timing.finishedAt ? new Date(timing.finishedAt) : null;
      return { phase: state, startedAt, finishedAt, seconds: finishedAt ? (finishedAt.getTime() - startedAt.getTime()) / 1000 : null };
    });
  }

  @FieldResolver(() => ImportRowIssueConnection, { description: 'Rejected rows: every error, in the order found, optionally of one code.' })
  async errors(@Root() job: ImportJobRow, @Args(() => IssuesArgs) args: IssuesArgs, @Ctx() ctx: RequestContext): Promise<ConnectionValue<ImportRowIssue & { id: number }>> {
    const page = await issuesOfJob(ctx, job.id, 'ERROR', args.code, pageRequest(args));
    return toConnection({ rows: page.rows.map((row) => ({ ...toIssue(row), id: row.id })), hasNextPage: page.hasNextPage }, (issue) => issue.id);
  }

  @FieldResolver(() => [ImportIssueCount], { description: 'Rejected rows per error code, most frequent first: the whole job, however many errors it has.' })
  errorCounts(@Root() job: ImportJobRow, @Ctx() ctx: RequestContext): Promise<IssueCount[]> | IssueCount[] {
    return job.purgedIssueCounts ? keptCounts(job.purgedIssueCounts, 'ERROR') : issueCountsOfJob(ctx, 'ERROR').load(job.id);
  }

  @FieldResolver(() => [ImportIssueCount], { description: 'Corrected rows per correction code, most frequent first.' })
  correctionCounts(@Root() job: ImportJobRow, @Ctx() ctx: RequestContext): Promise<IssueCount[]> | IssueCount[] {
    return job.purgedIssueCounts ? keptCounts(job.purgedIssueCounts, 'CORRECTION') : issueCountsOfJob(ctx, 'CORRECTION').load(job.id);
  }

  @FieldResolver(() => ImportRowIssueConnection, { description: 'Auto-corrections made to rows (value before and after), optionally of one code.' })
  async corrections(@Root() job: ImportJobRow, @Args(() => IssuesArgs) args: IssuesArgs, @Ctx() ctx: RequestContext): Promise<ConnectionValue<ImportRowIssue & { id: number }>> {
    const page = await issuesOfJob(ctx, job.id, 'CORRECTION', args.code, pageRequest(args));
    return toConnection({ rows: page.rows.map((row) => ({ ...toIssue(row), id: row.id })), hasNextPage: page.hasNextPage }, (issue) => issue.id);
  }

  @FieldResolver(() => String, {
    description: 'Where to download the report (send the same Authorization header): every input row with its outcome, error codes, messages and corrections, as CSV.',
  })
  reportUrl(@Root() job: ImportJobRow): string {
    return `/imports/${toGlobalId('ImportJob', job.id)}/report.csv`;
  }
}
