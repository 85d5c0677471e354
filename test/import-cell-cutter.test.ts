import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { cutCellOf, cutLongCells, isCutCell } from '../src/import/pipeline/cell-cutter.js';
import { ImportFileError } from '../src/import/pipeline/import-file-error.js';

/*
 * The reader cuts long cells out of the bytes before the CSV parser sees them. Whatever the file
 * and wherever it is cut into pieces, parsing what passes must give the file's own records, each
 * cell longer than the limit cut to its start (within a character) and marked.
 */

const LIMIT = 16;

async function* piecesOf(bytes: Buffer, sizes: readonly number[]): AsyncGenerator<Buffer> {
  let at = 0;
  for (let index = 0; at < bytes.length; index++) {
    const size = sizes[index % sizes.length];
    yield bytes.subarray(at, at + size);
    at += size;
  }
}

async function* each(pieces: readonly Buffer[]): AsyncGenerator<Buffer> {
  yield* pieces;
}

async function cut(text: string, sizes: readonly number[], maxRecordBytes = 1 << 20): Promise<string> {
  const out: Buffer[] = [];
  for await (const piece of cutLongCells(piecesOf(Buffer.from(text), sizes), { maxCellBytes: LIMIT, maxRecordBytes })) out.push(piece);
  return Buffer.concat(out).toString('utf8');
}

const parseCsv = (text: string): string[][] => parse(text, { record_delimiter: ['\r\n', '\n', '\r'], relax_column_count: true, skip_empty_lines: true });

/** Line breaks of `text` after its first `from` characters (a CRLF is one, counted where its CR is). */
function lineBreaksAfter(text: string, from: number): number {
  let breaks = 0;
  for (let at = from; at < text.length; at++) {
    if (text[at] === '\r' || (text[at] === '\n' && text[at - 1] !== '\r')) breaks += 1;
  }
  return breaks;
}

/** What a cut cell must be: a start of the cell of LIMIT bytes or a few more, within whole characters, then the mark with the line breaks dropped. */
function expectCutOf(cell: string, original: string): void {
  if (Buffer.byteLength(original) <= LIMIT) {
    expect(cell).toBe(original);
    return;
  }
  expect(isCutCell(cell)).toBe(true);
  const { kept, droppedLineBreaks } = cutCellOf(cell);
  expect(original.startsWith(kept)).toBe(true);
  expect(droppedLineBreaks).toBe(lineBreaksAfter(original, kept.length));
  expect(Buffer.byteLength(kept)).toBeGreaterThanOrEqual(LIMIT);
  expect(Buffer.byteLength(kept)).toBeLessThanOrEqual(LIMIT + 4);
}

const quoted = (cell: string): string => `"${cell.replaceAll('"', '""')}"`;

const CELLS: readonly string[] = ['', 'short', 'exactly sixteen!', 'a cell of well over sixteen bytes', '"quoted", with, commas', 'line\nbreaks\r\nand "quotes" inside a long cell', '""""""""""""""""""""""""""""""""', 'é€😀 characters of two, three and four bytes ' + '😀'.repeat(12)];

function fileOf(seed: number): { text: string; records: string[][] } {
  const records: string[][] = [];
  const lines: string[] = [];
  let state = seed;
  const next = (n: number): number => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state % n;
  };
  for (let row = 0; row < 12; row++) {
    const record = Array.from({ length: 1 + next(5) }, () => CELLS[next(CELLS.length)]);
    if (!record.some((cell) => cell !== '')) record[0] = 'x';
    records.push(record);
    lines.push(record.map((cell) => (/[",\r\n]/.test(cell) || next(2) === 0 ? quoted(cell) : cell)).join(','));
  }
  return { text: lines.join(['\n', '\r\n', '\r'][seed % 3]) + (seed % 2 === 0 ? '\n' : ''), records };
}

describe('cutting long cells', () => {
  it.each([[[1]], [[2, 3]], [[7]], [[64]], [[1 << 16]]])('gives the records of the file, long cells cut, when it comes in pieces of %j bytes', async (sizes) => {
    for (let seed = 0; seed < 30; seed++) {
      const { text, records } = fileOf(seed);
      const parsed = parseCsv(await cut(text, sizes));
      expect(parsed).toHaveLength(records.length);
      parsed.forEach((record, row) => {
        expect(record).toHaveLength(records[row].length);
        record.forEach((cell, column) => expectCutOf(cell, records[row][column]));
      });
    }
  });

  it('passes a file without long cells as it is, piece for piece', async () => {
    const text = 'a,b,"c, ""d"""\n1,2,3\n';
    const source: Buffer[] = [];
    for await (const piece of piecesOf(Buffer.from(text), [9])) source.push(piece);
    const passed: Buffer[] = [];
    for await (const piece of cutLongCells(each(source), { maxCellBytes: LIMIT, maxRecordBytes: 1024 })) passed.push(piece);
    expect(passed).toHaveLength(source.length);
    passed.forEach((piece, index) => expect(piece).toBe(source[index]));
  });

  it('keeps a stray quote in a long unquoted cell, for the parser to refuse', async () => {
    expect(() => parseCsv(`${'x'.repeat(40)}"y\n`)).toThrow();
    const passed = await cut(`${'x'.repeat(40)}"y\n`, [8]);
    expect(passed).toContain('"');
    expect(() => parseCsv(passed)).toThrow();
  });

  it('fails a record longer than the limit with the line it starts on, however its cells are cut', async () => {
    const text = `a,b\n1,2\n3,"never closed\n${'x,'.repeat(100)}\n`;
    await expect(cut(text, [5], 64)).rejects.toThrow(ImportFileError);
    await expect(cut(text, [5], 64)).rejects.toMatchObject({ code: 'FILE_RECORD_TOO_LARGE', message: expect.stringContaining('line 3') });
    await expect(cut(text, [5], 1024)).resolves.toBeTypeOf('string');
  });
});
