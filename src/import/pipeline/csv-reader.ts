import { isUtf8 } from 'node:buffer';
import { Readable } from 'node:stream';
import { CsvError, Parser } from 'csv-parse';
import { cutCellOf, cutLongCells, isCutCell } from './cell-cutter.js';
import { ImportFileError } from './import-file-error.js';

export interface CsvRecord {
  /** Data row number: 1 is the first row after the header. */
  readonly row: number;
  /** Line of the file the row starts on. */
  readonly line: number;
  readonly fields: readonly string[];
}

export interface CsvFile {
  readonly headers: readonly string[];
  /** The rows, those of each parsed piece of the file together (to be read once). */
  readonly batches: AsyncIterable<readonly CsvRecord[]>;
  /**
   * Stops reading the file. Reading the batches to the end (or leaving their loop) does it too;
   * a caller that may never start the loop (a header refused) calls it, or the file's source
   * (a database connection) stays open.
   */
  close(): void;
}

/**
 * Bytes of a cell the reader keeps: a longer cell is cut (see `cutLongCells`), and a row whose
 * mapped field holds one is rejected with VALUE_TOO_LONG. No field takes more than 1,000
 * characters, and a spreadsheet cell holds at most 32,767.
 */
export const MAX_CELL_BYTES = 32 * 1024;

/** A cut cell as shown to a person: its start, then '…'. */
export function shownCell(value: string): string {
  return isCutCell(value) ? `${cutCellOf(value).kept}…` : value;
}

export interface CsvReadOptions {
  /** Longest record accepted, in bytes. */
  readonly maxRecordChars: number;
  /** Called with the number of bytes of the file read so far. */
  readonly onBytes?: (bytes: number) => void;
}

/**
 * The file goes to the parser a piece at a time: a piece is a view of the chunk read (no copy),
 * and the parser's own buffer, which joins a piece to the record left over from the one before,
 * stays small enough to die young.
 */
const PIECE_BYTES = 32 * 1024;

async function* pieces(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  for await (const chunk of chunks) {
    for (let start = 0; start < chunk.length; start += PIECE_BYTES) yield chunk.subarray(start, start + PIECE_BYTES);
  }
}

/** Bytes a UTF-8 sequence takes, from its first byte (0 for a byte that cannot start one). */
function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc0 && lead < 0xe0) return 2;
  if (lead >= 0xe0 && lead < 0xf0) return 3;
  if (lead >= 0xf0 && lead < 0xf8) return 4;
  return 0;
}

/** Where the last whole character of `bytes` ends: a sequence cut at the end is left for the next piece. */
function wholeCharactersEnd(bytes: Buffer): number {
  // A sequence is at most 4 bytes: its first byte is among the last 4.
  for (let at = bytes.length - 1; at >= Math.max(0, bytes.length - 4); at--) {
    const byte = bytes[at];
    if ((byte & 0xc0) === 0x80) continue;
    const length = sequenceLength(byte);
    return length > 0 && at + length > bytes.length ? at : bytes.length;
  }
  return bytes.length;
}

/**
 * Checks the bytes are UTF-8, strictly, and passes them on as they are: a file in another
 * encoding (UTF-16, Latin-1, …) or a binary file fails with a clear message instead of turning
 * into mojibake rows. The parser decodes each value itself; decoding the whole text first would
 * make a string of every piece, only for it to be turned back into bytes on its way into the parser.
 */
async function* checkUtf8(bytes: AsyncIterable<Buffer>, onBytes?: (bytes: number) => void): AsyncGenerator<Buffer> {
  let offset = 0;
  let first = true;
  /** The start of a character cut at the end of the piece before. */
  let cut: Buffer | undefined;
  for await (const piece of pieces(bytes)) {
    if (first && piece.length >= 2 && ((piece[0] === 0xff && piece[1] === 0xfe) || (piece[0] === 0xfe && piece[1] === 0xff))) {
      throw new ImportFileError('FILE_ENCODING', 'The file is encoded as UTF-16: save it as UTF-8 (CSV UTF-8) and upload it again.');
    }
    first = false;
    // In UTF-8 a zero byte is the NUL character and nothing else.
    if (piece.includes(0)) throw new ImportFileError('FILE_NOT_CSV', 'The file contains binary data (NUL characters): it is not a CSV text file.');
    // The bytes checked start with the character carried over, before this piece's offset.
    const start = offset - (cut?.length ?? 0);
    const joined = cut ? Buffer.concat([cut, piece]) : piece;
    const end = wholeCharactersEnd(joined);
    cut = end < joined.length ? Buffer.from(joined.subarray(end)) : undefined;
    const whole = joined.subarray(0, end);
    if (!isUtf8(whole)) {
      throw new ImportFileError('FILE_ENCODING', `The file is not valid UTF-8 (first bad byte within bytes ${start}–${start + end}): save it as UTF-8 and upload it again.`);
    }
    offset += piece.length;
    onBytes?.(offset);
    if (whole.length > 0) yield whole;
  }
  if (cut) throw new ImportFileError('FILE_ENCODING', 'The file ends in the middle of a UTF-8 character: it is not valid UTF-8.');
}

function fileErrorOf(error: unknown): unknown {
  if (!(error instanceof CsvError)) return error;
  const where = error.lines ? ` (line ${error.lines})` : '';
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return new ImportFileError('FILE_UNTERMINATED_QUOTE', `A quoted value is never closed${where}: the file ends inside quotes.`);
    case 'CSV_MAX_RECORD_SIZE':
      return new ImportFileError('FILE_RECORD_TOO_LARGE', `A row is longer than the limit${where}: is a closing quote missing?`);
    default:
      return new ImportFileError('FILE_MALFORMED_CSV', `The file is not well-formed CSV${where}: ${error.message}`);
  }
}

/** Line breaks the reader dropped with the record's cut cells. */
function droppedLineBreaks(fields: readonly string[]): number {
  let dropped = 0;
  for (const field of fields) if (isCutCell(field)) dropped += cutCellOf(field).droppedLineBreaks;
  return dropped;
}

function hasLineBreak(fields: readonly string[]): boolean {
  for (const field of fields) if (field.includes('\n') || field.includes('\r')) return true;
  return false;
}

/** Line breaks inside a record's values: CRLF pairs, and every break (a CRLF counted once). */
function lineBreaks(fields: readonly string[]): { crlf: number; all: number } {
  let crlf = 0;
  let all = 0;
  for (const field of fields) {
    for (let i = 0; i < field.length; i++) {
      const code = field.charCodeAt(i);
      if (code === 13) {
        all += 1;
        if (field.charCodeAt(i + 1) === 10) {
          crlf += 1;
          i += 1;
        }
      } else if (code === 10) all += 1;
    }
  }
  return { crlf, all };
}

interface ParsedRecord {
  readonly record: string[];
  /** The parser's line count when the record ended. */
  readonly lines: number;
}

/**
 * csv-parse's stream, pushing the records of each piece of input as one array, each with the line
 * it ends on. Per record, a stream push and an awaited read cost more than the parsing; and the
 * parser's own `info: true` builds an object of a dozen fields per record, for the one field (the
 * line) needed here. `push` runs as each record is parsed, when `info.lines` is that record's.
 */
class BatchingParser extends Parser {
  private batch: ParsedRecord[] = [];

  override push(record: unknown, encoding?: BufferEncoding): boolean {
    if (record !== null) {
      this.batch.push({ record: record as string[], lines: this.info.lines });
      return true;
    }
    this.pushBatch();
    return super.push(null, encoding);
  }

  override _transform(chunk: Buffer, encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    super._transform(chunk, encoding, (error?: Error | null) => {
      this.pushBatch();
      callback(error);
    });
  }

  override _flush(callback: (error?: Error | null) => void): void {
    super._flush((error?: Error | null) => {
      this.pushBatch();
      callback(error);
    });
  }

  private pushBatch(): void {
    if (this.batch.length === 0) return;
    const batch = this.batch;
    this.batch = [];
    super.push(batch);
  }
}

/**
 * Opens a CSV: BOM, CRLF or LF line ends, quoted values with commas and newlines. The first
 * record is the header; blank lines are skipped. Rows may have another number of columns than the
 * header (the caller decides what that means for the row).
 */
export async function openCsv(bytes: AsyncIterable<Buffer>, options: CsvReadOptions): Promise<CsvFile> {
  const parser = new BatchingParser({ bom: true, record_delimiter: ['\r\n', '\n', '\r'], relax_column_count: true, skip_empty_lines: true, max_record_size: options.maxRecordChars });
  let cellsCut = 0;
  const cut = cutLongCells(checkUtf8(bytes, options.onBytes), {
    maxCellBytes: MAX_CELL_BYTES,
    maxRecordBytes: options.maxRecordChars,
    onCut: () => (cellsCut += 1),
  });
  const source = Readable.from(cut, { objectMode: false });
  source.on('error', (error) => parser.destroy(error));
  source.pipe(parser);
  const iterator = parser[Symbol.asyncIterator]() as AsyncIterator<ParsedRecord[]>;
  const close = (): void => {
    source.destroy();
    parser.destroy();
  };

  // The header is the first record; the rest of its batch are rows.
  let first: ParsedRecord[] = [];
  try {
    while (first.length === 0) {
      const next = await iterator.next();
      if (next.done) break;
      first = next.value;
    }
  } catch (error) {
    close();
    throw fileErrorOf(error);
  }
  const header = first.shift();
  if (!header || header.record.every((field) => field.trim() === '')) {
    close();
    throw new ImportFileError('FILE_EMPTY', 'The file is empty: it needs a header row and data rows.');
  }
  const headers = header.record.map((name) => shownCell(name).trim());
  // csv-parse counts a CRLF inside a quoted value as two lines; keep the tally to correct it.
  let overcount = lineBreaks(header.record).crlf;
  let row = 0;
  let previousLines = header.lines;
  // Line breaks of cut cells the parser never saw, in the records before the next one.
  let dropped = cellsCut > 0 ? droppedLineBreaks(header.record) : 0;

  const toRecords = (parsed: readonly ParsedRecord[]): CsvRecord[] =>
    parsed.map(({ record, lines }) => {
      row += 1;
      // The row ends on `lines` (corrected); it starts as many lines earlier as its values break.
      // A record one line after the previous one has no break in its values (most records).
      let breaks = 0;
      const spansOneLine = lines - previousLines === 1;
      previousLines = lines;
      if (!spansOneLine && hasLineBreak(record)) {
        const counted = lineBreaks(record);
        overcount += counted.crlf;
        breaks = counted.all;
      }
      const line = lines - overcount - breaks + dropped;
      if (cellsCut > 0) dropped += droppedLineBreaks(record);
      return { row, line, fields: record };
    });

  async function* batches(): AsyncGenerator<readonly CsvRecord[]> {
    try {
      if (first.length > 0) yield toRecords(first);
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        yield toRecords(next.value);
      }
    } catch (error) {
      throw fileErrorOf(error);
    } finally {
      close();
    }
  }
  return { headers, batches: batches(), close };
}
