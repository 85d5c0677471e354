import type { FileUpload } from 'graphql-upload/processRequest.mjs';
import GraphQLUpload from 'graphql-upload/GraphQLUpload.mjs';
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { UserErrorType } from '../../user-error.type.js';
import type { UserError } from '../../../core/errors.js';
import { ImportJob } from '../import-job.types.js';
import type { ImportJobRow } from '../../../import/import.rows.js';

@InputType({ description: 'Starts an import: a template and a CSV, sent either as a multipart upload (`file`) or inline (`csv`, for small files).' })
export class ImportStartInput {
  @Field(() => ID, { description: 'The template to run.' })
  templateId!: string;

  @Field(() => GraphQLUpload, {
    nullable: true,
    description: 'The CSV, by the GraphQL multipart request spec (send the `apollo-require-preflight: true` header). For files of hundreds of MB, `POST /imports` streams too.',
  })
  file?: Promise<FileUpload> | null;

  @Field(() => String, { nullable: true, description: 'The CSV as text, for small files (up to IMPORT_MAX_INLINE_KB, 512 KB by default).' })
  csv?: string | null;

  @Field(() => String, { nullable: true, description: 'A name for an inline CSV (default `inline.csv`).' })
  fileName?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Check and report everything without writing to the main tables.' })
  dryRun?: boolean | null;
}

@InputType({ description: 'The job to act on.' })
export class ImportJobInput {
  @Field(() => ID, { description: 'The import job.' })
  id!: string;
}

@ObjectType({ description: 'Result of starting, cancelling or replaying an import.' })
export class ImportJobPayload {
  @Field(() => ImportJob, { nullable: true, description: 'The job; null when the request failed.' })
  job?: ImportJobRow | null;

  @Field(() => [UserErrorType], { description: 'Why it failed; empty on success.' })
  userErrors!: UserError[];
}
