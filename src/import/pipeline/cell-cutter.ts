import { ImportFileError } from './import-file-error.js';

/*
 * A cut cell reads `<kept start>\0<line breaks dropped>\0`. A file holds no NUL character (the
 * reader refuses it before this point), so a value that ends with one is a cell that was cut, and
 * nothing else; the count keeps the line numbers of the rows after it right.
 */

/** True when the parsed value is a cell the reader cut (see `cutLongCells`). */
export function isCutCell(value: string): boolean {
  return value.length > 0 && value.charCodeAt(value.length - 1) === 0;
}

/** What the reader kept of a cut cell, and how many line breaks it dropped from it. */
export function cutCellOf(value: string): { readonly kept: string; readonly droppedLineBreaks: number } {
  const mark = value.indexOf('\u0000');
  return { kept: value.slice(0, mark), droppedLineBreaks: Number(value.slice(mark + 1, -1)) };
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;
const MARK_BYTES = Buffer.from([0]);
/** 1 for the bytes the cutter looks at: quote, comma, CR and LF. */
const STRUCTURAL = new Uint8Array(256);
for (const byte of [0x22, 0x2c, 0x0a, 0x0d]) STRUCTURAL[byte] = 1;
const QUOTE_BYTES = Buffer.from([QUOTE]);

const enum At {
  /** Before the first byte of a field. */
  FieldStart,
  Unquoted,
  Quoted,
  /** After a quoted field's closing quote, before its delimiter. */
  AfterQuote,
}

export interface CellLimits {
  /** Bytes of a cell kept; the rest of a longer cell is dropped, and the cell ends with CUT_MARK. */
  readonly maxCellBytes: number;
  /** Bytes of a record read before the file fails with FILE_RECORD_TOO_LARGE. */
  readonly maxRecordBytes: number;
  /** Called for each cell cut. */
  readonly onCut?: () => void;
}

/**
 * Cuts every cell longer than `maxCellBytes` before the CSV parser sees it, keeping the CSV
 * well-formed (quotes, delimiters and line ends pass; a cut never splits a character or an
 * escaped quote); a cut cell ends with a mark (see `isCutCell`). The parser makes a string of
 * every cell: a hostile file of megabyte cells would make megabyte strings, which the garbage
 * collector keeps in its large-object space until a full collection, so a busy server's memory
 * grows with them until then. A record longer than `maxRecordBytes` (usually a missing closing
 * quote) fails the file, as the parser's own record limit would.
 *
 * Takes whole UTF-8 pieces (as `checkUtf8` yields them); a piece with nothing to cut passes as it is.
 */
export async function* cutLongCells(pieces: AsyncIterable<Buffer>, limits: CellLimits): AsyncGenerator<Buffer> {
  const cutter = new CellCutter(limits);
  for await (const piece of pieces) {
    const passed = cutter.cut(piece);
    if (passed.length > 0) yield passed;
  }
  const rest = cutter.end();
  if (rest) yield rest;
}

/** The cutter's state between pieces. Each piece is scanned in one loop over locals: a closure call or a field access per byte would make the scan far slower. */
class CellCutter {
  private at: At = At.FieldStart;
  /** Bytes of the current cell's value kept (an escaped quote is one). */
  private cellBytes = 0;
  /** Bytes of the current record, as in the file. */
  private recordBytes = 0;
  /** The rest of the current cell is being dropped. */
  private dropping = false;
  /** In a quoted cell, the byte before was a quote: an escaped quote or the closing one. */
  private quoteBefore = false;
  /** Line of the file the current record starts on, and the line being read. */
  private recordLine = 1;
  private line = 1;
  private crBefore = false;
  /** Line breaks of the cell being dropped (a CRLF is one). */
  private droppedBreaks = 0;

  constructor(private readonly limits: CellLimits) {}

  cut(piece: Buffer): Buffer {
    const { maxCellBytes, maxRecordBytes } = this.limits;
    let { at, cellBytes, recordBytes, dropping, quoteBefore, recordLine, line, crBefore, droppedBreaks } = this;
    const out: Buffer[] = [];
    let keepFrom = 0;
    /** Something of the piece is dropped (or put back): it cannot pass as it is. */
    let changed = dropping;

    for (let index = 0; index < piece.length; index++) {
      // Inside a cell being kept, the bytes up to the next quote, delimiter or line end only count.
      if (!dropping && (at === At.Unquoted || (at === At.Quoted && !quoteBefore))) {
        const end = Math.min(piece.length, index + maxCellBytes - cellBytes, index + maxRecordBytes - recordBytes);
        let next = index;
        while (next < end && STRUCTURAL[piece[next]] === 0) next++;
        if (next > index) {
          cellBytes += next - index;
          recordBytes += next - index;
          crBefore = false;
          index = next;
          if (index === piece.length) break;
        }
      }
      const byte = piece[index];
      const lineBreak = byte === CR || (byte === LF && !crBefore);
      if (lineBreak) line += 1;
      crBefore = byte === CR;
      if (++recordBytes > maxRecordBytes) {
        throw new ImportFileError('FILE_RECORD_TOO_LARGE', `The row starting on line ${recordLine} is longer than ${Math.floor(maxRecordBytes / 1024)} KB: is a closing quote missing?`);
      }

      if (at === At.Quoted) {
        if (quoteBefore) {
          quoteBefore = false;
          if (byte === QUOTE) {
            // An escaped quote is one byte of the value.
            if (!dropping) cellBytes += 1;
            continue;
          }
          // The quote before closed the cell; one being dropped gets it back.
          if (dropping) {
            out.push(endMark(droppedBreaks), QUOTE_BYTES);
            dropping = false;
            keepFrom = index;
          }
          at = At.AfterQuote;
        } else {
          if (!dropping && cellBytes >= maxCellBytes && (byte & 0xc0) !== 0x80) {
            out.push(piece.subarray(keepFrom, index), MARK_BYTES);
            dropping = changed = true;
            droppedBreaks = 0;
            this.limits.onCut?.();
          }
          if (byte === QUOTE) quoteBefore = true;
          else if (!dropping) cellBytes += 1;
          else if (lineBreak) droppedBreaks += 1;
          continue;
        }
      }

      if (byte === COMMA || byte === LF || byte === CR) {
        if (dropping) {
          out.push(endMark(droppedBreaks));
          dropping = false;
          keepFrom = index;
        }
        at = At.FieldStart;
        cellBytes = 0;
        if (byte !== COMMA) {
          recordBytes = 0;
          recordLine = line;
        }
        continue;
      }
      if (at === At.FieldStart) {
        if (byte === QUOTE) {
          at = At.Quoted;
          continue;
        }
        at = At.Unquoted;
      }
      if (at === At.Unquoted) {
        if (!dropping && cellBytes >= maxCellBytes && (byte & 0xc0) !== 0x80) {
          out.push(piece.subarray(keepFrom, index), MARK_BYTES);
          dropping = changed = true;
          droppedBreaks = 0;
          this.limits.onCut?.();
        }
        if (!dropping) cellBytes += 1;
        // A stray quote still reaches the parser, which refuses the file for it.
        else if (byte === QUOTE) out.push(QUOTE_BYTES);
      }
      // After a closing quote anything but a delimiter is the parser's to refuse: it passes.
    }

    Object.assign(this, { at, cellBytes, recordBytes, dropping, quoteBefore, recordLine, line, crBefore, droppedBreaks });
    if (!changed) return piece;
    if (!dropping) out.push(piece.subarray(keepFrom));
    return Buffer.concat(out);
  }

  /** What is left at the end of the file: the closing quote of a cell being dropped, when the file ends with it. */
  end(): Buffer | undefined {
    return this.dropping && this.quoteBefore ? Buffer.concat([endMark(this.droppedBreaks), QUOTE_BYTES]) : undefined;
  }
}

/** The end of a cut cell's mark: the line breaks it dropped, then NUL. */
function endMark(droppedBreaks: number): Buffer {
  return Buffer.from(`${droppedBreaks}\u0000`);
}
