import { DateTime } from 'luxon';

/**
 * The date formats an import template may choose for its date columns (never guessed from the
 * data). Each reads a date and time; seconds, fractions of a second and the time itself may be
 * left out, and any value may end in an offset (`Z`, `+08:00`, `+0800`): without one it is read
 * in the org's time zone.
 */
export const DATE_FORMATS = {
  YMD_DASH: { pattern: 'yyyy-MM-dd HH:mm:ss', sample: '2022-02-03 19:00:00' },
  DMY_DASH: { pattern: 'dd-MM-yyyy HH:mm:ss', sample: '03-02-2022 19:00:00' },
  DMY_SLASH: { pattern: 'dd/MM/yyyy HH:mm:ss', sample: '03/02/2022 19:00:00' },
  YMD_DASH_Z: { pattern: 'yyyy-MM-dd HH:mm:ss Z', sample: '2017-05-11 15:46:48 Z' },
  YMD_DASH_XXX: { pattern: 'yyyy-MM-dd HH:mm:ssXXX', sample: '2022-02-03 12:08:56.235-07:00' },
  DMON_YY: { pattern: 'dd-MMM-yy HH:mm:ss', sample: '03-Feb-22 19:00:00' },
  MDY_SHORT: { pattern: 'M/D/YY HH:mm:ss', sample: '2/3/22 19:00:00' },
  DMY_SHORT: { pattern: 'D/M/YY HH:mm:ss', sample: '3/2/22 19:00:00' },
  MDY_PADDED: { pattern: 'MM/DD/YY HH:mm:ss', sample: '02/03/22 19:00:00' },
} as const;
export type DateFormatName = keyof typeof DATE_FORMATS;
export const DATE_FORMAT_NAMES = Object.keys(DATE_FORMATS) as DateFormatName[];
export const DEFAULT_DATE_FORMAT: DateFormatName = 'YMD_DASH';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** The date part of each format: a regex with named groups `day`, `month` (or `monthName`) and `year`. */
const DATE_PARTS: Record<DateFormatName, RegExp> = {
  YMD_DASH: /^(?<year>\d{4})-(?<month>\d{1,2})-(?<day>\d{1,2})/,
  DMY_DASH: /^(?<day>\d{1,2})-(?<month>\d{1,2})-(?<year>\d{4})/,
  DMY_SLASH: /^(?<day>\d{1,2})\/(?<month>\d{1,2})\/(?<year>\d{4})/,
  YMD_DASH_Z: /^(?<year>\d{4})-(?<month>\d{1,2})-(?<day>\d{1,2})/,
  YMD_DASH_XXX: /^(?<year>\d{4})-(?<month>\d{1,2})-(?<day>\d{1,2})/,
  DMON_YY: /^(?<day>\d{1,2})-(?<monthName>[A-Za-z]{3})-(?<year>\d{2})/,
  MDY_SHORT: /^(?<month>\d{1,2})\/(?<day>\d{1,2})\/(?<year>\d{4}|\d{2})/,
  DMY_SHORT: /^(?<day>\d{1,2})\/(?<month>\d{1,2})\/(?<year>\d{4}|\d{2})/,
  MDY_PADDED: /^(?<month>\d{1,2})\/(?<day>\d{1,2})\/(?<year>\d{4}|\d{2})/,
};

/** Optional time (`T` or space separated), then an optional offset. */
const TIME_AND_OFFSET =
  /^(?:[T ](?<hour>\d{1,2}):(?<minute>\d{2})(?::(?<second>\d{2})(?:[.,](?<fraction>\d{1,9}))?)?)?\s*(?<offset>Z|[+-]\d{2}(?::?\d{2})?)?$/i;

function offsetZone(offset: string): string {
  if (offset.toUpperCase() === 'Z') return 'UTC';
  const match = /^([+-])(\d{2}):?(\d{2})?$/.exec(offset);
  if (!match) return 'invalid';
  return `UTC${match[1]}${match[2]}:${match[3] ?? '00'}`;
}

/**
 * Reads a date-time written in `format`: the instant, or undefined when the value does not follow
 * the format or names a day that does not exist.
 */
export function parseDateTime(value: string, format: DateFormatName, timeZone: string): Date | undefined {
  const text = value.trim();
  const date = DATE_PARTS[format].exec(text);
  if (!date?.groups) return undefined;
  const time = TIME_AND_OFFSET.exec(text.slice(date[0].length));
  if (!time?.groups) return undefined;
  const { day, month, monthName, year } = date.groups;
  const monthNumber = monthName ? MONTHS.indexOf(monthName.toLowerCase()) + 1 : Number(month);
  if (monthNumber < 1) return undefined;
  const fullYear = year.length === 2 ? 2000 + Number(year) : Number(year);
  const { hour, minute, second, fraction, offset } = time.groups;
  const parsed = DateTime.fromObject(
    {
      year: fullYear,
      month: monthNumber,
      day: Number(day),
      hour: hour === undefined ? 0 : Number(hour),
      minute: minute === undefined ? 0 : Number(minute),
      second: second === undefined ? 0 : Number(second),
      millisecond: fraction === undefined ? 0 : Math.floor(Number(`0.${fraction}`) * 1000),
    },
    { zone: offset ? offsetZone(offset) : timeZone },
  );
  // fromObject rolls invalid parts over in no case, but reports them invalid (31 Feb, 25:00).
  return parsed.isValid ? parsed.toJSDate() : undefined;
}
