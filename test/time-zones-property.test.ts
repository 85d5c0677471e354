import { DateTime } from 'luxon';
import { beforeAll, describe, expect, it } from 'vitest';
import { cachedZoneTables, formatInZone } from '../src/core/time.js';
import { seededRandom } from './support/random.js';

/*
 * formatInZone keeps each zone's offset transitions per year instead of asking luxon for every
 * value. These tests hold it to the formatting it replaced, luxon asked for every value, over
 * random instants from 1970 to 2100 and at every offset change luxon reports in zones with every
 * kind of rule: DST in both hemispheres, half-hour and 45-minute offsets, 30-minute and 2-hour DST,
 * negative DST, midnight transitions, changes of standard offset, a skipped day. The end-to-end
 * cases (every DateTime of a response in the org's zone) are in time-zones.test.ts.
 */

const ZONES = [
  'America/New_York',
  'Europe/London',
  'Australia/Sydney',
  'America/Santiago',
  'Pacific/Auckland',
  'Asia/Tehran',
  'Australia/Lord_Howe', // DST of 30 minutes
  'Asia/Kathmandu', // +05:45 (+05:30 until 1986)
  'America/St_Johns', // -03:30
  'Pacific/Chatham', // +12:45
  'Africa/Casablanca', // DST suspended for Ramadan, then DST all year but Ramadan
  'Asia/Singapore', // +07:30 until 1982
  'UTC',
  'Europe/Moscow', // rule changes: DST all year in 2011, back to +03:00 in 2014
  'America/Sao_Paulo',
  'Pacific/Apia', // skipped 30 December 2011
  'Asia/Kolkata',
  'Europe/Dublin', // negative DST in the tz data: winter is the "daylight" time
  'America/Havana', // transitions at midnight
  'Antarctica/Troll', // DST of 2 hours
  'Africa/Monrovia', // -00:44:30 until 1972: an offset of whole seconds
];

const FROM = Date.UTC(1970, 0, 1);
const TO = Date.UTC(2101, 0, 1);
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const RANDOM_INSTANTS = 30_000;

/** The implementation before the transition tables: luxon asked for the offset of every value. */
function reference(instant: Date, timeZone: string): string {
  const epochMs = instant.getTime();
  const offset = DateTime.fromMillis(epochMs, { zone: timeZone }).offset;
  const local = new Date(epochMs + offset * 60_000).toISOString();
  const millis = epochMs % 1000 === 0 ? '' : local.slice(19, 23);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${local.slice(0, 19)}${millis}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** What a call gives: its text, or the name of the error it throws (both must be the same). */
function outcome(format: (instant: Date, timeZone: string) => string, instant: Date, timeZone: string): string {
  try {
    return format(instant, timeZone);
  } catch (error) {
    return `throws ${(error as Error).name}`;
  }
}

/**
 * Every instant from 1970 to 2100 at which luxon's offset for the zone changes: the zone's offset
 * text is read every other day (at 06:00 UTC, off the implementation's 12-hour grid from midnight),
 * and each change is bisected to the millisecond on luxon's offset. No two changes of offset in
 * these zones (in any zone) since 1970 are less than a week apart.
 */
function transitions(timeZone: string): number[] {
  const probe = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
  const offsetText = (epochMs: number) => probe.format(epochMs).split(', ')[1]; // "1/1/2030, GMT-05:00"
  const offset = (epochMs: number) => DateTime.fromMillis(epochMs, { zone: timeZone }).offset;
  const found: number[] = [];
  let before = FROM;
  let current = offset(before);
  let seen = offsetText(before);
  for (let sample = FROM + 6 * HOUR_MS; before < TO; sample = Math.min(sample + 2 * DAY_MS, TO)) {
    const text = offsetText(sample);
    if (text !== seen) {
      seen = text;
      while (offset(sample) !== current) {
        let low = before;
        let high = sample;
        while (high - low > 1) {
          const middle = low + Math.floor((high - low) / 2);
          if (offset(middle) === current) low = middle;
          else high = middle;
        }
        found.push(high);
        current = offset(high);
        before = high;
      }
    }
    before = sample;
  }
  return found;
}

/** Pairs in an order that keeps jumping between zones and years, as a busy server would. */
function shuffled<T>(items: T[], next: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(next() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

function mismatches(pairs: [string, number][]): string[] {
  const wrong: string[] = [];
  for (const [zone, epochMs] of pairs) {
    const instant = new Date(epochMs);
    const actual = outcome(formatInZone, instant, zone);
    const expected = outcome(reference, instant, zone);
    if (actual !== expected && wrong.length < 20) wrong.push(`${zone} ${instant.toISOString()}: ${actual}, expected ${expected}`);
  }
  return wrong;
}

describe('formatInZone against luxon for every value', () => {
  const next = seededRandom(20_2026);
  let changes = new Map<string, number[]>();
  beforeAll(() => {
    changes = new Map(ZONES.map((zone) => [zone, transitions(zone)]));
  });

  it('finds the changes it is tested at (the test itself)', () => {
    // New York: two a year, 1970 to 2100 (even 1974 and 1975, with DST from January and February).
    expect(changes.get('America/New_York')).toHaveLength(2 * 131);
    expect(changes.get('UTC')).toEqual([]);
    expect(changes.get('Asia/Kolkata')).toEqual([]);
    expect(changes.get('Pacific/Apia')).toContain(Date.parse('2011-12-30T10:00:00Z'));
    expect(changes.get('Africa/Monrovia')?.[0]).toBe(Date.parse('1972-01-07T00:44:30Z'));
    expect([...changes.values()].reduce((sum, found) => sum + found.length, 0)).toBeGreaterThan(2000);
  });

  it('agrees at random instants from 1970 to 2100 in every zone, in any order', () => {
    const pairs: [string, number][] = [];
    for (let i = 0; i < RANDOM_INSTANTS; i += 1) {
      const zone = ZONES[Math.floor(next() * ZONES.length)];
      const epochMs = FROM + Math.floor(next() * (TO - FROM));
      // A quarter on whole seconds: the milliseconds are written only when not zero.
      pairs.push([zone, i % 4 === 0 ? epochMs - (epochMs % 1000) : epochMs]);
    }
    expect(mismatches(pairs)).toEqual([]);
  });

  it('agrees at every change of offset and a millisecond either side, in order and shuffled', () => {
    const pairs: [string, number][] = [];
    for (const [zone, found] of changes) for (const at of found) pairs.push([zone, at - 1], [zone, at], [zone, at + 1]);
    expect(pairs.length).toBeGreaterThan(6000);
    expect(mismatches(pairs)).toEqual([]);
    expect(mismatches(shuffled(pairs, next))).toEqual([]);
  });

  it('agrees at the ends of the years it keeps tables for, and beyond them', () => {
    const pairs: [string, number][] = [];
    const edges = [FROM, TO, Date.UTC(1969, 11, 31, 12), Date.UTC(1900, 0, 1), Date.UTC(2200, 6, 1), Date.UTC(-1, 0, 1), 8.64e15, -8.64e15];
    for (const zone of ZONES) for (const edge of edges) pairs.push([zone, edge - 1], [zone, edge], [zone, edge + 1]);
    for (const zone of ZONES) for (let year = 1970; year <= 2101; year += 1) pairs.push([zone, Date.UTC(year, 0, 1) - 1], [zone, Date.UTC(year, 0, 1)]);
    expect(mismatches(pairs.filter(([, epochMs]) => Math.abs(epochMs) <= 8.64e15))).toEqual([]);
  });

  it('reads zone names as luxon does: any case, fixed offsets, and refuses unknown ones as before', () => {
    const zones = ['utc', 'Etc/UTC', 'Etc/GMT+5', 'Etc/GMT-14', 'america/new_york', 'EUROPE/LONDON', 'Mars/Olympus', 'UTC+3', 'local'];
    const pairs: [string, number][] = [];
    for (const zone of zones) for (let i = 0; i < 50; i += 1) pairs.push([zone, FROM + Math.floor(next() * (TO - FROM))]);
    expect(outcome(formatInZone, new Date(0), 'Mars/Olympus')).toBe('throws RangeError');
    expect(mismatches(pairs)).toEqual([]);
  });

  it('keeps a bounded cache, and stays right after evicting from it', () => {
    // Zone names are case-insensitive: 300 spellings of one zone are 300 names to a cache.
    const spellings = Array.from({ length: 300 }, (_, i) =>
      [...'america/new_york'].map((letter, at) => {
        const bit = at < 7 ? at : at - 1; // the 9 letters around the slash
        return at !== 7 && bit < 9 && ((i >> bit) & 1) === 1 ? letter.toUpperCase() : letter;
      }).join(''),
    );
    expect(new Set(spellings).size).toBe(300);
    const pairs: [string, number][] = spellings.map((zone) => [zone, Date.UTC(2024, 2, 10, 6, 59, 59, 999) + Math.floor(next() * 2)]);
    expect(mismatches(pairs)).toEqual([]);
    const cached = cachedZoneTables();
    expect(cached.zones).toBeLessThanOrEqual(256);
    expect(cached.tables).toBeLessThanOrEqual(4096);
    expect(mismatches(shuffled(pairs, next))).toEqual([]);
  });
});
