import { errorCodes } from '../core/errors.js';

/** Failures of the import mutations (templates and jobs). Row-level problems are `ImportIssueCode`s instead. */
export const ImportErrorCode = errorCodes({
  TEMPLATE_NOT_FOUND: 'No import template with this id in your org.',
  TEMPLATE_NAME_TAKEN: 'Another import template of your org has this name.',
  MAPPING_EMPTY: 'A template must map at least one CSV header to a field.',
  MAPPING_UNKNOWN_FIELD: "A mapping names a field the template's profile does not have.",
  MAPPING_DUPLICATE_HEADER: 'A CSV header is mapped more than once.',
  MAPPING_DUPLICATE_FIELD: 'A field is mapped from more than one CSV header.',
  MAPPING_MISSING_MANDATORY_FIELD: "A mandatory field of the profile (with the template's options) has no CSV header mapped to it; `field` names it.",
  ROW_FILTER_PATTERN_UNSUPPORTED:
    'A MATCHES row filter pattern needs what the linear-time pattern engine (RE2) cannot do, such as backreferences, lookahead or lookbehind; `field` names the values, `message` says what.',
  OPTION_NOT_APPLICABLE: "An option was set that the template's profile does not take.",
  COUPON_SERIES_NOT_FOUND: 'The replacement coupon series code is not a coupon series of your org.',
  IMPORT_FILE_MISSING: 'Send the CSV either as `file` (a multipart upload) or as `csv` (inline text), exactly one of them.',
  IMPORT_FILE_TOO_LARGE: 'Inline CSV text is limited in size: upload larger files as `file` or to `POST /imports`.',
  IMPORT_JOB_NOT_FOUND: 'No import job with this id in your org.',
  IMPORT_NOT_CANCELLABLE: 'The job has already ended (or is merging its last batch) and cannot be cancelled.',
  IMPORT_NOT_REPLAYABLE: 'Only a job that failed while merging can be replayed (a failed file, a completed or a running job cannot).',
  IMPORT_REPLAY_WINDOW_CLOSED: 'A failed job can be replayed for 7 days after it was created; this one is older.',
});
