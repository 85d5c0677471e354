import { DateTime, FixedOffsetZone } from 'luxon';

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

/** The date part of each format: a regex, and which of its groups hold the day, month (or month name) and year. */
interface DatePart {
  readonly regex: RegExp;
  readonly day: number;
  readonly month: number;
  /** The month is a name (Feb), not a number. */
  readonly monthName: boolean;
  readonly year: number;
}

const YMD: DatePart = { regex: /^(\d{4})-(\d{1,2})-(\d{1,2})/, year: 1, month: 2, day: 3, monthName: false };
const DATE_PARTS: Record<DateFormatName, DatePart> = {
  YMD_DASH: YMD,
  DMY_DASH: { regex: /^(\d{1,2})-(\d{1,2})-(\d{4})/, day: 1, month: 2, year: 3, monthName: false },
  DMY_SLASH: { regex: /^(\d{1,2})\/(\d{1,2})\/(\d{4})/, day: 1, month: 2, year: 3, monthName: false },
  YMD_DASH_Z: YMD,
  YMD_DASH_XXX: YMD,
  DMON_YY: { regex: /^(\d{1,2})-([A-Za-z]{3})-(\d{2})/, day: 1, month: 2, year: 3, monthName: true },
  MDY_SHORT: { regex: /^(\d{1,2})\/(\d{1,2})\/(\d{4}|\d{2})/, month: 1, day: 2, year: 3, monthName: false },
  DMY_SHORT: { regex: /^(\d{1,2})\/(\d{1,2})\/(\d{4}|\d{2})/, day: 1, month: 2, year: 3, monthName: false },
  MDY_PADDED: { regex: /^(\d{1,2})\/(\d{1,2})\/(\d{4}|\d{2})/, month: 1, day: 2, year: 3, monthName: false },
};

/** Optional time (`T` or space separated: hour, minute, second, fraction), then an optional offset. */
const TIME_AND_OFFSET = /^(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** Minutes east of UTC of an offset written in a value (`Z`, `+08:00`, `-0530`), or undefined. */
function offsetMinutes(offset: string): number | undefined {
  if (offset.toUpperCase() === 'Z') return 0;
  const match = /^([+-])(\d{2}):?(\d{2})?$/.exec(offset);
  if (!match) return undefined;
  const minutes = Number(match[2]) * 60 + Number(match[3] ?? '0');
  if (Number(match[3] ?? '0') > 59 || minutes > 18 * 60) return undefined;
  return match[1] === '-' ? -minutes : minutes;
}

const HOUR_MS = 3_600_000;
/**
 * Where a zone's offset is sampled around a local hour (hours from its start): every hour near
 * it, where ordinary changes fall, then every three out to a day and more (Pacific/Apia skipped a
 * whole day in 2011). The same offset at all of them: no change of offset near that hour.
 */
const SAMPLE_HOURS = [-25, -22, -19, -16, -13, -10, -7, -4, -3, -2, -1, 1, 2, 3, 4, 7, 10, 13, 16, 19, 22, 25, 26];
const MAX_CACHED_HOURS = 100_000;
/** Per zone, by local hour (a number made of year, month, day and hour). */
const steadyOffsets = new Map<string, Map<number, number | null>>();

/**
 * The offset (minutes) of `zone` throughout the local hour y-m-d h, when no change of offset lies
 * within a day of it (so every local time in that hour exists once); null near a change,
 * where luxon's own rules for skipped and repeated times apply. Reading a zone through Intl costs
 * microseconds; a file's rows fall into few distinct hours, so each is worked out once.
 */
function steadyOffset(zone: string, year: number, month: number, day: number, hour: number): number | null {
  let hours = steadyOffsets.get(zone);
  if (!hours) {
    hours = new Map();
    steadyOffsets.set(zone, hours);
  }
  const key = ((year * 13 + month) * 32 + day) * 24 + hour;
  let offset = hours.get(key);
  if (offset === undefined) {
    const start = DateTime.fromObject({ year, month, day, hour }, { zone });
    offset = null;
    if (start.isValid && start.hour === hour) {
      const at = start.toMillis();
      if (SAMPLE_HOURS.every((sample) => DateTime.fromMillis(at + sample * HOUR_MS, { zone }).offset === start.offset)) offset = start.offset;
    }
    if (hours.size >= MAX_CACHED_HOURS) hours.clear();
    hours.set(key, offset);
  }
  return offset;
}

interface LocalTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly millisecond: number;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  if (month !== 2) return DAYS_IN_MONTH[month - 1];
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
}

/** The local time as if it were UTC, or undefined when no such day or time exists (31 Feb, 25:00). */
function asUtcMillis(local: LocalTime): number | undefined {
  if (local.year < 100 || local.month > 12 || local.hour > 23 || local.minute > 59 || local.second > 59) return undefined;
  if (local.day < 1 || local.day > daysInMonth(local.year, local.month)) return undefined;
  return Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second, local.millisecond);
}

/** The number an ASCII run of digits makes (what the regexes matched): cheaper than Number() on a million rows. */
function digits(text: string): number {
  let value = 0;
  for (let i = 0; i < text.length; i++) value = value * 10 + text.charCodeAt(i) - 48;
  return value;
}

/** Milliseconds from the digits of a fraction of a second: `5` is 500 ms, `2357` is 235 (cut, not rounded). */
function fractionMillis(fraction: string): number {
  return digits(fraction.length >= 3 ? fraction.slice(0, 3) : fraction.padEnd(3, '0'));
}

/**
 * Reads a date-time written in `format`: the instant, or undefined when the value does not follow
 * the format or names a day that does not exist.
 */
export function parseDateTime(value: string, format: DateFormatName, timeZone: string): Date | undefined {
  const text = value.trim();
  const part = DATE_PARTS[format];
  const date = part.regex.exec(text);
  if (!date) return undefined;
  const time = TIME_AND_OFFSET.exec(text.slice(date[0].length));
  if (!time) return undefined;
  const monthText = date[part.month];
  const monthNumber = part.monthName ? MONTHS.indexOf(monthText.toLowerCase()) + 1 : digits(monthText);
  if (monthNumber < 1) return undefined;
  const year = date[part.year];
  const fullYear = year.length === 2 ? 2000 + digits(year) : digits(year);
  const hour = time[1];
  const minute = time[2];
  const second = time[3];
  const fraction = time[4];
  const offset = time[5];
  const local: LocalTime = {
    year: fullYear,
    month: monthNumber,
    day: digits(date[part.day]),
    hour: hour === undefined ? 0 : digits(hour),
    minute: minute === undefined ? 0 : digits(minute),
    second: second === undefined ? 0 : digits(second),
    millisecond: fraction === undefined ? 0 : fractionMillis(fraction),
  };
  const written = offset ? offsetMinutes(offset) : null;
  if (written === undefined) return undefined;
  const asUtc = asUtcMillis(local);
  if (asUtc !== undefined) {
    const minutes = written ?? steadyOffset(timeZone, local.year, local.month, local.day, local.hour);
    if (minutes !== null) return new Date(asUtc - minutes * 60_000);
  }
  // Near a change of offset (or a day that does not exist): luxon's rules for skipped and repeated times decide.
  const parsed = DateTime.fromObject(local, { zone: written === null ? timeZone : FixedOffsetZone.instance(written) });
  // fromObject rolls invalid parts over in no case, but reports them invalid (31 Feb, 25:00).
  return parsed.isValid ? parsed.toJSDate() : undefined;
}
