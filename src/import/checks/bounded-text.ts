/**
 * Row issues repeat what a file holds (a value, a message quoting it): a hostile file's 1 MB cell
 * must not become a 1 MB issue, in memory while it is buffered nor in every page and report that
 * reads it. An issue's texts are cut to this many characters, the cut ones ending with '…'.
 */
export const ISSUE_TEXT_MAX = 256;
const MARK = '…';

/** The text, or its start and '…' when longer than `max` characters (a surrogate pair is never split). */
export function boundedText(text: string, max?: number): string;
export function boundedText(text: string | null, max?: number): string | null;
export function boundedText(text: string | null, max = ISSUE_TEXT_MAX): string | null {
  if (text === null || text.length <= max) return text;
  let end = max - MARK.length;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  // A slice of a long string keeps the whole string alive (V8 makes it a view into it): copy it out.
  return Buffer.from(text.slice(0, end) + MARK, 'utf8').toString('utf8');
}

/** The same cut in SQL, for issues a query writes (`expression` is SQL of type text). */
export function boundedTextSql(expression: string): string {
  return `(case when char_length(${expression}) > ${ISSUE_TEXT_MAX} then left(${expression}, ${ISSUE_TEXT_MAX - MARK.length}) || '${MARK}' else ${expression} end)`;
}
