import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { isoTimestamp } from '../src/core/sql/copy.js';
import { DATE_FORMAT_NAMES, parseDateTime, type DateFormatName } from '../src/import/checks/date-formats.js';

/*
 * parseDateTime reads most local times with an offset worked out once per zone and local hour
 * (Intl through luxon costs microseconds a row). These tests hold it to luxon's own reading of
 * every value, above all next to changes of offset: skipped and repeated local times, half-hour
 * shifts, zones that changed their standard offset. The end-to-end samples of every format are in
 * import-transactions.test.ts.
 */

const ZONES = ['Asia/Singapore', 'America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'America/Sao_Paulo', 'Asia/Kolkata', 'Pacific/Apia', 'Europe/Moscow', 'UTC'];

/** What luxon alone makes of the same parts (the reading before the cache). */
function luxonReading(parts: { year: number; month: number; day: number; hour: number; minute: number; second: number }, zone: string): number | undefined {
  const parsed = DateTime.fromObject({ ...parts, millisecond: 0 }, { zone });
  return parsed.isValid ? parsed.toMillis() : undefined;
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

/** The parts written in a format (every format takes the time as HH:mm:ss). */
function written(format: DateFormatName, p: { year: number; month: number; day: number; hour: number; minute: number; second: number }): string {
  const time = `${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}`;
  const yy = pad(p.year % 100);
  switch (format) {
    case 'YMD_DASH':
    case 'YMD_DASH_Z':
    case 'YMD_DASH_XXX':
      return `${p.year}-${pad(p.month)}-${pad(p.day)} ${time}`;
    case 'DMY_DASH':
      return `${pad(p.day)}-${pad(p.month)}-${p.year} ${time}`;
    case 'DMY_SLASH':
      return `${pad(p.day)}/${pad(p.month)}/${p.year} ${time}`;
    case 'DMON_YY':
      return `${pad(p.day)}-${['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][p.month - 1]}-${yy} ${time}`;
    case 'MDY_SHORT':
      return `${p.month}/${p.day}/${yy} ${time}`;
    case 'DMY_SHORT':
      return `${p.day}/${p.month}/${yy} ${time}`;
    case 'MDY_PADDED':
      return `${pad(p.month)}/${pad(p.day)}/${yy} ${time}`;
  }
}

describe('reading dates in an org time zone', () => {
  it('agrees with luxon on skipped and repeated local times and on both sides of every change', () => {
    const cases: [string, string, number][] = [
      // New York: 02:30 does not exist on 13 March 2022 (luxon moves it forward); 01:30 happens twice on 6 November.
      ['America/New_York', '2022-03-13 02:30:00', Date.parse('2022-03-13T07:30:00Z')],
      ['America/New_York', '2022-03-13 01:59:59', Date.parse('2022-03-13T06:59:59Z')],
      ['America/New_York', '2022-03-13 03:00:00', Date.parse('2022-03-13T07:00:00Z')],
      ['America/New_York', '2022-11-06 00:30:00', Date.parse('2022-11-06T04:30:00Z')],
      ['America/New_York', '2022-11-06 02:30:00', Date.parse('2022-11-06T07:30:00Z')],
      ['Europe/London', '2022-03-27 00:30:00', Date.parse('2022-03-27T00:30:00Z')],
      ['Europe/London', '2022-03-27 02:30:00', Date.parse('2022-03-27T01:30:00Z')],
      ['Asia/Singapore', '2022-03-01 12:30:00', Date.parse('2022-03-01T04:30:00Z')],
    ];
    for (const [zone, value, instant] of cases) {
      expect(parseDateTime(value, 'YMD_DASH', zone)?.getTime(), `${value} in ${zone}`).toBe(instant);
    }
    // Offsets that no clock has are not read at all.
    for (const value of ['2022-03-01 12:30:00+08:75', '2022-03-01 12:30:00+19:00', '0099-03-01 12:30:00-2500']) {
      expect(parseDateTime(value, 'YMD_DASH', 'Asia/Singapore'), value).toBeUndefined();
    }
    // Every quarter hour over each day of change (and the days around it) reads as luxon reads it.
    for (const [zone, day] of [
      ['America/New_York', '2022-03-13'],
      ['America/New_York', '2022-11-06'],
      ['Europe/London', '2022-10-30'],
      ['Australia/Lord_Howe', '2022-04-03'],
      ['Australia/Lord_Howe', '2022-10-02'],
      ['America/Sao_Paulo', '2018-11-04'],
      ['Pacific/Apia', '2011-12-29'],
      ['Europe/Moscow', '2014-10-26'],
    ] as const) {
      const start = DateTime.fromISO(day, { zone: 'UTC' }).minus({ days: 1 });
      for (let minutes = 0; minutes < 3 * 24 * 60; minutes += 15) {
        const t = start.plus({ minutes });
        const parts = { year: t.year, month: t.month, day: t.day, hour: t.hour, minute: t.minute, second: 0 };
        const value = `${t.toFormat('yyyy-MM-dd HH:mm')}:00`;
        expect(parseDateTime(value, 'YMD_DASH', zone)?.getTime(), `${value} in ${zone}`).toBe(luxonReading(parts, zone));
      }
    }
  });

  it('reads any value of any format as luxon does (random dates, zones and offsets)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.constantFrom(...DATE_FORMAT_NAMES),
        fc.record({
          year: fc.integer({ min: 2000, max: 2037 }),
          month: fc.integer({ min: 1, max: 12 }),
          day: fc.integer({ min: 1, max: 31 }),
          hour: fc.integer({ min: 0, max: 24 }),
          minute: fc.integer({ min: 0, max: 59 }),
          second: fc.integer({ min: 0, max: 59 }),
        }),
        fc.option(fc.constantFrom('Z', '+08:00', '-0530', '+14:00', '-03'), { nil: undefined }),
        (zone, format, parts, offset) => {
          const value = `${written(format, parts)}${offset ? (offset === 'Z' ? ' Z' : offset) : ''}`;
          const expected = offset
            ? (() => {
                const parsed = DateTime.fromObject({ ...parts, millisecond: 0 }, { zone: offset === 'Z' ? 'UTC' : `UTC${offset.length === 3 ? `${offset}:00` : offset.replace(/^([+-]\d{2})(\d{2})$/, '$1:$2')}` });
                return parsed.isValid ? parsed.toMillis() : undefined;
              })()
            : luxonReading(parts, zone);
          expect(parseDateTime(value, format, zone)?.getTime(), `${value} (${format}) in ${zone}`).toBe(expected);
        },
      ),
      { numRuns: 5_000 },
    );
  });
});

describe('fractions of a second and staged instants', () => {
  it('reads a fraction of a second to the millisecond, cutting further digits', () => {
    const cases: [string, number][] = [
      ['.57', 570],
      ['.5', 500],
      ['.235', 235],
      ['.2359', 235],
      ['.009', 9],
      ['.999999999', 999],
    ];
    for (const [fraction, millisecond] of cases) {
      const parsed = parseDateTime(`2022-02-03 12:08:56${fraction}-07:00`, 'YMD_DASH_XXX', 'UTC');
      expect(parsed?.getTime(), fraction).toBe(Date.UTC(2022, 1, 3, 19, 8, 56, millisecond));
    }
  });

  it('writes every instant for COPY as toISOString does', () => {
    const edges = [0, -1, 1, 951_782_400_000, 951_868_799_999, -30_610_224_000_000, -30_610_224_000_001, 253_402_300_799_999, 253_402_300_800_000, -62_198_755_200_000];
    for (const ms of edges) expect(isoTimestamp(new Date(ms)), String(ms)).toBe(new Date(ms).toISOString());
    fc.assert(
      fc.property(fc.integer({ min: -40_000_000_000_000, max: 260_000_000_000_000 }), (ms) => {
        expect(isoTimestamp(new Date(ms))).toBe(new Date(ms).toISOString());
      }),
      { numRuns: 20_000 },
    );
    expect(() => isoTimestamp(new Date(Number.NaN))).toThrow(RangeError);
  });
});
