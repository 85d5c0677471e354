/** A problem with the file as a whole: the job fails with it, and nothing is merged. */
export class ImportFileError extends Error {
  override readonly name = 'ImportFileError';

  constructor(
    readonly code: ImportFileErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export const IMPORT_FILE_ERROR_CODES = [
  'FILE_EMPTY',
  'FILE_ENCODING',
  'FILE_NOT_CSV',
  'FILE_MALFORMED_CSV',
  'FILE_UNTERMINATED_QUOTE',
  'FILE_RECORD_TOO_LARGE',
  'FILE_MISSING_HEADERS',
  'FILE_DUPLICATE_HEADERS',
] as const;
export type ImportFileErrorCode = (typeof IMPORT_FILE_ERROR_CODES)[number];

/** A job's failure code that says its file failed as a whole (nothing of it was read as rows). */
export function isFileFailure(code: string): code is ImportFileErrorCode {
  return (IMPORT_FILE_ERROR_CODES as readonly string[]).includes(code);
}
