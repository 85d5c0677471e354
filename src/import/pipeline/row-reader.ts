import { storedUserPattern } from '../../core/user-pattern.js';
import type { FieldMapping } from '../profiles/catalog.js';
import { ROW_FILTER_PATTERN_SYNTAX, type RowCondition } from '../import.options.js';
import type { RowIssue, RowReader } from '../profiles/profile.js';
import { boundedText } from '../checks/bounded-text.js';
import type { RowCorrectionCode } from '../checks/issue-codes.js';
import { cutCellOf, isCutCell } from './cell-cutter.js';
import { MAX_CELL_BYTES, type CsvRecord } from './csv-reader.js';
import { ImportFileError } from './import-file-error.js';

/** Where each mapped field sits in the file's columns, worked out once from the header. */
export interface ColumnLayout {
  readonly headerCount: number;
  readonly fieldColumns: ReadonlyMap<string, number>;
  /** Family fields (`custom.x`, …) with their columns, grouped by prefix. */
  readonly families: ReadonlyMap<string, readonly (readonly [string, number])[]>;
  readonly headerIndex: ReadonlyMap<string, number>;
}

const FAMILY_PREFIXES = ['custom.', 'extended.', 'subscription.'];

/**
 * Matches the template's mapping to the file's header (ignoring case and surrounding spaces).
 * A header mapped to a mandatory field must be present; a mapped header that appears twice is
 * ambiguous. Either fails the file.
 */
export function layoutColumns(headers: readonly string[], mapping: readonly FieldMapping[], mandatoryFields: readonly string[]): ColumnLayout {
  const headerIndex = new Map<string, number>();
  const duplicated = new Set<string>();
  headers.forEach((header, index) => {
    const key = header.toLowerCase();
    if (headerIndex.has(key)) duplicated.add(key);
    else headerIndex.set(key, index);
  });
  const fieldColumns = new Map<string, number>();
  const families = new Map<string, [string, number][]>();
  const missing: string[] = [];
  for (const { header, field } of mapping) {
    const key = header.toLowerCase();
    if (duplicated.has(key)) throw new ImportFileError('FILE_DUPLICATE_HEADERS', `The header "${header}" appears more than once in the file, so its column is ambiguous.`);
    const index = headerIndex.get(key);
    if (index === undefined) {
      if (mandatoryFields.includes(field)) missing.push(`"${header}" (${field})`);
      continue;
    }
    fieldColumns.set(field, index);
    const prefix = FAMILY_PREFIXES.find((candidate) => field.startsWith(candidate));
    if (prefix) {
      const list = families.get(prefix) ?? [];
      list.push([field.slice(prefix.length), index]);
      families.set(prefix, list);
    }
  }
  if (missing.length > 0) {
    throw new ImportFileError('FILE_MISSING_HEADERS', `The file lacks the header${missing.length > 1 ? 's' : ''} of mandatory field${missing.length > 1 ? 's' : ''} ${missing.join(', ')}. Its headers are: ${headers.join(', ')}.`);
  }
  return { headerCount: headers.length, fieldColumns, families, headerIndex };
}

/** A compiled row filter: true when the row is to be imported. */
export function compileRowFilter(conditions: readonly RowCondition[] | undefined, layout: ColumnLayout): (fields: readonly string[]) => boolean {
  if (!conditions || conditions.length === 0) return () => true;
  const tests = conditions.map((condition) => {
    const index = layout.headerIndex.get(condition.column.toLowerCase());
    const valueOf = (fields: readonly string[]): string => (index === undefined ? '' : (fields[index] ?? '').trim());
    const values = condition.values.map((value) => value.trim());
    switch (condition.operator) {
      case 'EQUALS':
        return (fields: readonly string[]) => valueOf(fields) === values[0];
      case 'NOT_EQUALS':
        return (fields: readonly string[]) => valueOf(fields) !== values[0];
      case 'IN':
        return (fields: readonly string[]) => values.includes(valueOf(fields));
      case 'NOT_IN':
        return (fields: readonly string[]) => !values.includes(valueOf(fields));
      case 'EMPTY':
        return (fields: readonly string[]) => valueOf(fields) === '';
      case 'NOT_EMPTY':
        return (fields: readonly string[]) => valueOf(fields) !== '';
      case 'MATCHES': {
        // Compiled once per run (a job, a report download), matched for every row in linear time.
        const patterns = condition.values.map((pattern) => storedUserPattern(pattern, ROW_FILTER_PATTERN_SYNTAX, 'row filter pattern'));
        return (fields: readonly string[]) => patterns.some((pattern) => pattern.test(valueOf(fields)));
      }
    }
  });
  return (fields) => tests.every((test) => test(fields));
}

const NO_ISSUES: readonly RowIssue[] = Object.freeze([]);
const NO_CELLS: readonly (readonly [string, string])[] = Object.freeze([]);

/** One record seen through the layout; collects the row's issues. */
export class CsvRowReader implements RowReader {
  /** Allocated with the first issue: most rows have none, and a file has a million rows. */
  private found: RowIssue[] | undefined;
  /** Trimmed values by column, as read (allocated on the first read: most rows read every column once). */
  private trimmed: (string | undefined)[] | undefined;
  private errors = 0;
  /** Fields whose cell the reader cut: the row is rejected for it once, whatever a check says of the rest. */
  private cutFields: Set<string> | undefined;

  constructor(
    private readonly record: CsvRecord,
    private readonly layout: ColumnLayout,
  ) {}

  get row(): number {
    return this.record.row;
  }

  get line(): number {
    return this.record.line;
  }

  get issues(): readonly RowIssue[] {
    return this.found ?? NO_ISSUES;
  }

  get rejected(): boolean {
    return this.errors > 0;
  }

  has(field: string): boolean {
    return this.layout.fieldColumns.has(field);
  }

  value(field: string): string | undefined {
    const index = this.layout.fieldColumns.get(field);
    return index === undefined ? undefined : this.cell(field, index);
  }

  family(prefix: string): readonly (readonly [string, string])[] {
    const columns = this.layout.families.get(prefix);
    if (!columns) return NO_CELLS;
    return columns.map(([name, index]) => [name, this.cell(`${prefix}${name}`, index)] as const);
  }

  private cell(field: string, index: number): string {
    const trimmed = (this.trimmed ??= new Array<string | undefined>(this.layout.headerCount));
    const known = trimmed[index];
    if (known !== undefined) return known;
    let raw = this.record.fields[index] ?? '';
    if (isCutCell(raw)) {
      raw = cutCellOf(raw).kept;
      this.error('VALUE_TOO_LONG', field, raw, `${field} is longer than the ${MAX_CELL_BYTES / 1024} KB a cell may hold.`);
      (this.cutFields ??= new Set()).add(field);
    }
    const value = raw.trim();
    if (value !== raw && value !== '') this.correct('WHITESPACE_TRIMMED', field, raw, value, `Spaces around "${value}" were removed.`);
    trimmed[index] = value;
    return value;
  }

  error(code: string, field: string, value: string | null | undefined, message: string): void {
    if (this.cutFields?.has(field)) return;
    this.errors += 1;
    (this.found ??= []).push({ row: this.row, line: this.line, kind: 'ERROR', code, field, value: boundedText(value ?? null), corrected: null, message: boundedText(message) });
  }

  correct(code: RowCorrectionCode, field: string, before: string, after: string, message: string): void {
    (this.found ??= []).push({ row: this.row, line: this.line, kind: 'CORRECTION', code, field, value: boundedText(before), corrected: boundedText(after), message: boundedText(message) });
  }

  /** Extra non-empty cells beyond the header: the row's columns do not line up with the header. */
  checkColumnCount(): void {
    if (this.record.fields.length <= this.layout.headerCount) return;
    const extra = this.record.fields.slice(this.layout.headerCount).filter((cell) => cell.trim() !== '');
    if (extra.length > 0) {
      this.error('ROW_COLUMN_COUNT', '', extra.join(','), `The row has ${this.record.fields.length} columns but the header has ${this.layout.headerCount}.`);
    }
  }
}
