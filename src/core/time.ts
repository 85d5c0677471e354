import { DateTime, Info, type Zone } from 'luxon';

/*
 * Every DateTime of every response is formatted in the org's zone, so this must cost next to
 * nothing. Asking luxon (Intl underneath) for the offset of each value cost ~15 µs a value (13% of
 * the server's time on the single view). Instead, each zone's offset transitions are found once per (zone, UTC year), through
 * luxon, and kept as a short sorted table; a value then costs a range check against the interval
 * the zone's last value fell in, or a look-up in its year's table. luxon stays the one source of
 * truth: every offset kept is luxon's own at that instant, so the output is the same as before.
 */

/** Years with tables; an instant outside them (rare) is computed exactly, as before. */
const FIRST_YEAR = 1970;
const LAST_YEAR = 2100;
const YEARS = LAST_YEAR - FIRST_YEAR + 1;
/** `YEAR_STARTS[i]`: 1 January of FIRST_YEAR + i, 00:00 UTC, for i in 0..YEARS (the last one ends the range). */
const YEAR_STARTS = Float64Array.from({ length: YEARS + 1 }, (_, i) => Date.UTC(FIRST_YEAR + i, 0, 1));
const MEAN_YEAR_MS = 365.2425 * 86_400_000;
/**
 * How far apart a year's offsets are sampled. A change and its reversal between two samples would
 * go unseen: in the tz data (2026c), the shortest time between two changes of offset in any zone
 * from 1970 to 2100 is 167 hours (Gaza's breaks for Ramadan, Brazil in 2000), nearly 14 steps. A
 * sample costs about a microsecond, so a year about a millisecond, once. Every UTC year is a whole number of steps, so the
 * last sample is the next year's first instant.
 */
const SAMPLE_MS = 12 * 3_600_000;
/** Bounds on what is cached: zone names are case-insensitive, so even valid ones are countless. */
const MAX_ZONES = 256;
const MAX_TABLES = 4096; // about 31 zones with all their years; a table is a few transitions

/** One UTC year of a zone: its offsets from `starts[i]` (epoch ms) until `starts[i + 1]` or the year's end. */
interface YearTable {
  readonly starts: number[];
  readonly offsets: number[];
  readonly suffixes: string[];
}

/** How a zone's offsets are had: from year tables, one offset for all time, or luxon each time. */
type ZoneKind = 'tables' | 'fixed' | 'luxon';

class ZoneOffsets {
  /** The interval the zone's last looked-up instant fell in, and its offset: most values hit it. */
  from = 0;
  until = 0;
  offset = 0;
  suffix = '';
  tables = 0;
  /** When the zone was last asked for, on the `uses` clock: the least recently used is evicted first. */
  used = 0;
  readonly years: (YearTable | undefined)[] = [];
  readonly kind: ZoneKind;
  private readonly zone: Zone;
  private probe: Intl.DateTimeFormat | undefined;

  constructor(readonly name: string) {
    // luxon's own reading of the name (`utc`, fixed offsets, IANA), as DateTime.fromMillis does.
    this.zone = Info.normalizeZone(name);
    if (this.zone.type === 'iana' && this.zone.isValid) this.kind = 'tables';
    else if (this.zone.type === 'fixed' && this.zone.isValid) this.kind = 'fixed';
    else this.kind = 'luxon'; // the system zone, "default", an invalid zone: exactly as before
    if (this.kind === 'fixed') this.remember(-Infinity, Infinity, this.zone.offset(0));
  }

  /** The offset at an instant outside the current interval; makes that instant's interval current. */
  lookUp(epochMs: number): number {
    if (this.kind !== 'tables' || !(epochMs >= YEAR_STARTS[0] && epochMs < YEAR_STARTS[YEARS])) {
      return DateTime.fromMillis(epochMs, { zone: this.name }).offset;
    }
    let year = Math.min(YEARS - 1, Math.floor((epochMs - YEAR_STARTS[0]) / MEAN_YEAR_MS));
    while (epochMs < YEAR_STARTS[year]) year -= 1;
    while (epochMs >= YEAR_STARTS[year + 1]) year += 1;
    const table = this.years[year] ?? this.build(year);
    let i = table.starts.length - 1;
    while (epochMs < table.starts[i]) i -= 1;
    const until = i + 1 < table.starts.length ? table.starts[i + 1] : YEAR_STARTS[year + 1];
    this.from = table.starts[i];
    this.until = until;
    this.offset = table.offsets[i];
    this.suffix = table.suffixes[i];
    return this.offset;
  }

  forget(): void {
    this.years.length = 0;
    this.tables = 0;
    this.remember(0, 0, 0);
  }

  private remember(from: number, until: number, offset: number): void {
    this.from = from;
    this.until = until;
    this.offset = offset;
    this.suffix = formatOffset(offset);
  }

  /**
   * Samples the year's offsets every SAMPLE_MS with a cheap Intl formatter (the offset as text, a
   * microsecond), and between two samples that differ, bisects to the millisecond on that text,
   * then checks on luxon's offset that it changes exactly there (if not, bisects on luxon's offset
   * itself): a table's instants and offsets are luxon's own. Several changes between two samples
   * are all found, as long as they do not come back to the first sample's offset (see SAMPLE_MS).
   */
  private build(year: number): YearTable {
    const start = YEAR_STARTS[year];
    const end = YEAR_STARTS[year + 1];
    this.probe ??= new Intl.DateTimeFormat('en-US', { timeZone: this.name, timeZoneName: 'longOffset' });
    const probe = this.probe;
    // "1/1/2030, GMT-05:00": the date is part of the text; the offset is after its last space.
    const offsetText = (epochMs: number): string => {
      const text = probe.format(epochMs);
      return text.slice(text.lastIndexOf(' ') + 1);
    };
    const exact = (epochMs: number): number => this.zone.offset(epochMs);
    let current = exact(start);
    const table: YearTable = { starts: [start], offsets: [current], suffixes: [formatOffset(current)] };
    let before = start;
    let seen = offsetText(start);
    for (let sample = start + SAMPLE_MS; sample <= end; sample += SAMPLE_MS) {
      const text = offsetText(sample);
      if (text !== seen) {
        let from = before;
        let fromText = seen;
        while (exact(sample) !== current) {
          let at = firstChange(from, sample, (epochMs) => offsetText(epochMs) !== fromText);
          if (exact(at - 1) !== current || exact(at) === current) at = firstChange(from, sample, (epochMs) => exact(epochMs) !== current);
          if (at >= end) break; // a change at the next year's first instant is that year's
          current = exact(at);
          table.starts.push(at);
          table.offsets.push(current);
          table.suffixes.push(formatOffset(current));
          from = at;
          fromText = offsetText(at);
        }
        seen = text;
      }
      before = sample;
    }
    this.years[year] = table;
    this.tables += 1;
    tableCount += 1;
    evictBeyondBounds();
    return table;
  }
}

/** The first instant in (after, until] at which `changed` holds, given it holds at `until` and not at `after`. */
function firstChange(after: number, until: number, changed: (epochMs: number) => boolean): number {
  let low = after;
  let high = until;
  while (high - low > 1) {
    const middle = low + Math.floor((high - low) / 2);
    if (changed(middle)) high = middle;
    else low = middle;
  }
  return high;
}

const zones = new Map<string, ZoneOffsets>();
let tableCount = 0;
let uses = 0;
let lastZone: ZoneOffsets | undefined;

/** Evicts the least recently used zones (never the one in use) while over a bound: rare, so a plain scan. */
function evictBeyondBounds(): void {
  while ((zones.size > MAX_ZONES || tableCount > MAX_TABLES) && zones.size > 1) {
    let oldest: ZoneOffsets | undefined;
    for (const zone of zones.values()) if (zone !== lastZone && (oldest === undefined || zone.used < oldest.used)) oldest = zone;
    if (oldest === undefined) return;
    tableCount -= oldest.tables;
    oldest.forget();
    zones.delete(oldest.name);
  }
}

/** How much is cached, for the tests of its bounds. */
export function cachedZoneTables(): { zones: number; tables: number } {
  return { zones: zones.size, tables: tableCount };
}

function zoneOffsets(timeZone: string): ZoneOffsets {
  if (lastZone !== undefined && lastZone.name === timeZone) return lastZone;
  if (lastZone !== undefined) lastZone.used = ++uses; // used until now
  let zone = zones.get(timeZone);
  if (zone === undefined) {
    zone = new ZoneOffsets(timeZone);
    zones.set(timeZone, zone);
    lastZone = zone;
    evictBeyondBounds();
  }
  zone.used = ++uses;
  lastZone = zone;
  return zone;
}

/**
 * ±hh:mm. luxon gives an offset in minutes, with a fraction for one of whole seconds (Africa/Monrovia
 * until 1972: -44.5), which is written as it always has been (-00:44.5).
 */
function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

const TWO_DIGITS = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const MILLIS = Array.from({ length: 1000 }, (_, i) => `.${String(i).padStart(3, '0')}`);
const DAY_MS = 86_400_000;
/** Where Date#toISOString writes a year of 4 digits; beyond, it writes ±yyyyyy, and is used instead. */
const YEAR_0 = Date.parse('0000-01-01T00:00:00Z');
const YEAR_10000 = Date.parse('+010000-01-01T00:00:00Z');

/**
 * The instant's wall-clock time at `offset`, then `suffix`: what
 * `new Date(epochMs + offset * 60_000).toISOString()` and its slices gave (milliseconds written
 * when the instant has some), 5 times faster than them. The date is Howard Hinnant's
 * days-to-civil algorithm (proleptic Gregorian, as Date's).
 */
function formatAt(epochMs: number, offset: number, suffix: string): string {
  const wallMs = Math.trunc(epochMs + offset * 60_000); // as new Date() reads a fraction of a millisecond
  const withMillis = epochMs % 1000 !== 0;
  if (!(wallMs >= YEAR_0 && wallMs < YEAR_10000)) {
    // Out of Date's range (or NaN for an unknown zone), it throws a RangeError as before.
    const iso = new Date(wallMs).toISOString();
    return `${iso.slice(0, 19)}${withMillis ? iso.slice(19, 23) : ''}${suffix}`;
  }
  return isoWallClock(wallMs, withMillis, suffix);
}

/** Formats an instant in an IANA zone as ISO-8601 with that zone's offset at that instant (DST-correct). */
export function formatInZone(instant: Date, timeZone: string): string {
  const epochMs = instant.getTime();
  if (Number.isNaN(epochMs)) throw new TypeError('DateTime cannot represent an invalid date');
  const zone = zoneOffsets(timeZone);
  if (epochMs >= zone.from && epochMs < zone.until) return formatAt(epochMs, zone.offset, zone.suffix);
  const offset = zone.lookUp(epochMs);
  return formatAt(epochMs, offset, epochMs >= zone.from && epochMs < zone.until ? zone.suffix : formatOffset(offset));
}

/**
 * A wall-clock time (milliseconds since 1970 on the UTC scale, years 0000–9999) as
 * `yyyy-mm-ddThh:mm:ss[.sss]` then `suffix`, worked out in integers: what Date#toISOString writes,
 * several times faster (V8 formats through printf). The date is Howard Hinnant's days-to-civil
 * algorithm (proleptic Gregorian, as Date's).
 */
export function isoWallClock(wallMs: number, withMillis: boolean, suffix: string): string {
  const days = Math.floor(wallMs / DAY_MS);
  let rest = wallMs - days * DAY_MS;
  const shifted = days + 719_468; // days since 0000-03-01: leap days fall at the ends of years
  const era = Math.floor(shifted / 146_097);
  const dayOfEra = shifted - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  const hour = Math.floor(rest / 3_600_000);
  rest -= hour * 3_600_000;
  const minute = Math.floor(rest / 60_000);
  rest -= minute * 60_000;
  const second = Math.floor(rest / 1000);
  const yyyy = year >= 1000 ? String(year) : String(year).padStart(4, '0');
  const millis = withMillis ? MILLIS[rest - second * 1000] : '';
  return `${yyyy}-${TWO_DIGITS[month]}-${TWO_DIGITS[day]}T${TWO_DIGITS[hour]}:${TWO_DIGITS[minute]}:${TWO_DIGITS[second]}${millis}${suffix}`;
}
