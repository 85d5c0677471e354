import { Arg, Args, Ctx, ID, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import { UserInputError } from '../errors.js';
import { idOfType, PageArgs, pageRequest, toConnection, toGlobalId, type ConnectionValue } from '../relay.js';
import { DomainError, payload, type Payload } from '../../core/errors.js';
import type { RequestContext } from '../context.js';
import { AllowWriters } from '../allow.js';
import { ImportJobInput, ImportJobPayload, ImportStartInput } from './dto/import-job.dto.js';
import { ImportErrorBatch, ImportJob, ImportJobConnection, ImportProgress } from './import-job.types.js';
import { ImportErrorCode } from '../../import/import.errors.js';
import type { ImportProgressSnapshot } from '../../import/import.events.js';
import { importJobById, listImportJobs } from './import.loaders.js';
import type { ImportJobRow } from '../../import/import.rows.js';
import { replayImport } from '../../import/import.service.js';
import { requestCancel } from '../../import/job-store.js';
import { inlineSource, receiveImport } from '../../import/import-upload.js';
import { watchImportErrors, watchImportProgress, type ImportErrorBatchValue } from './import.watch.js';

type JobPayload = Payload<{ job: ImportJobRow | null }>;

async function watchedJob(ctx: RequestContext, jobId: string): Promise<number> {
  const id = idOfType(jobId, 'ImportJob');
  const job = id === undefined ? null : await importJobById(ctx).load(id);
  if (!job) throw new UserInputError('No import job with this id in your org.', 'jobId');
  return job.id;
}

@Resolver()
export class ImportJobResolver {
  @Query(() => ImportJob, { nullable: true, description: 'An import job: counts, timings, template, errors and report.' })
  importJob(@Arg('id', () => ID, { description: 'Global id of the job.' }) id: string, @Ctx() ctx: RequestContext): Promise<ImportJobRow | null> | null {
    const jobId = idOfType(id, 'ImportJob');
    return jobId === undefined ? null : importJobById(ctx).load(jobId);
  }

  @Query(() => ImportJobConnection, { description: "The org's import jobs, newest first." })
  async importJobs(@Args(() => PageArgs) args: PageArgs, @Ctx() ctx: RequestContext): Promise<ConnectionValue<ImportJobRow>> {
    return toConnection(await listImportJobs(ctx, pageRequest(args)), (job) => job.id);
  }

  @AllowWriters()
  @Mutation(() => ImportJobPayload, {
    description: 'Uploads a CSV and queues an import of it with a template. Watch it with the `importProgress` and `importErrors` subscriptions.',
  })
  importStart(@Arg('input', () => ImportStartInput, { description: 'The template, the file and whether it is a dry run.' }) input: ImportStartInput, @Ctx() ctx: RequestContext): Promise<JobPayload> {
    return payload(async () => {
      const hasFile = input.file !== null && input.file !== undefined;
      const hasCsv = input.csv !== null && input.csv !== undefined;
      if (hasFile === hasCsv) throw new DomainError(ImportErrorCode.IMPORT_FILE_MISSING, 'Send the CSV either as `file` or as `csv`, exactly one of them.', ['input', 'file']);
      let source: AsyncIterable<Buffer | string>;
      let fileName: string;
      if (hasFile) {
        const upload = await input.file!;
        source = upload.createReadStream();
        fileName = upload.filename;
      } else {
        source = inlineSource(ctx, input.csv!);
        fileName = input.fileName?.trim() || 'inline.csv';
      }
      const jobId = await receiveImport(ctx, { templateId: idOfType(input.templateId, 'ImportTemplate'), fileName, dryRun: input.dryRun ?? false, source });
      return { job: await importJobById(ctx).load(jobId) };
    });
  }

  @AllowWriters()
  @Mutation(() => ImportJobPayload, { description: 'Cancels a queued job at once, a running one at its next safe point. Batches already merged stay merged.' })
  importCancel(@Arg('input', () => ImportJobInput, { description: 'The job.' }) input: ImportJobInput, @Ctx() ctx: RequestContext): Promise<JobPayload> {
    return payload(async () => {
      const jobId = await requestCancel(ctx, ctx.runtime.events, idOfType(input.id, 'ImportJob'));
      return { job: await importJobById(ctx).load(jobId) };
    });
  }

  @AllowWriters()
  @Mutation(() => ImportJobPayload, { description: 'Runs a job that failed after its automatic retries again, from where it stopped; possible for 7 days after it was created.' })
  importReplay(@Arg('input', () => ImportJobInput, { description: 'The job.' }) input: ImportJobInput, @Ctx() ctx: RequestContext): Promise<JobPayload> {
    return payload(async () => ({ job: await importJobById(ctx).load(await replayImport(ctx, ctx.runtime.queue, idOfType(input.id, 'ImportJob'))) }));
  }

  @Subscription(() => ImportProgress, {
    description:
      'Progress of an import: the current state at once (also for a job that has ended), then at most every 250 ms and at every phase change; ends with the terminal state.',
    subscribe: async ({ args, context }) => watchImportProgress(context as RequestContext, await watchedJob(context as RequestContext, String(args.jobId))),
  })
  importProgress(@Arg('jobId', () => ID, { description: 'The import job.' }) _jobId: string, @Root() progress: ImportProgressSnapshot): ImportProgress {
    return { ...progress, jobId: toGlobalId('ImportJob', progress.jobId), updatedAt: new Date(progress.updatedAt), failure: progress.failureCode ? { code: progress.failureCode, message: progress.failureMessage ?? '' } : null };
  }

  @Subscription(() => ImportErrorBatch, {
    description: 'Row errors of an import in batches as they are found: first every error found so far, then new ones; ends when the job has ended.',
    subscribe: async ({ args, context }) => watchImportErrors(context as RequestContext, await watchedJob(context as RequestContext, String(args.jobId))),
  })
  importErrors(@Arg('jobId', () => ID, { description: 'The import job.' }) _jobId: string, @Root() batch: ImportErrorBatchValue): ImportErrorBatch {
    return { jobId: toGlobalId('ImportJob', batch.jobId), errors: batch.errors };
  }
}
