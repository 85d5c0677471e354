import { DateTime } from 'luxon';

const BUCKET_MS = 15 * 60_000;
const offsetCache = new Map<string, number>();

/** The zone's UTC offset in minutes at `epochMs`, from luxon's zone rules. */
function offsetAt(timeZone: string, epochMs: number): number {
  return DateTime.fromMillis(epochMs, { zone: timeZone }).offset;
}

/**
 * Offsets only change at transitions (DST, rule changes). Computing one through Intl is costly,
 * so offsets are cached per zone and 15-minute bucket — but only for buckets whose start and end
 * have the same offset, i.e. hold no transition; an instant in a bucket with a transition is
 * always computed exactly.
 */
function offsetMinutes(timeZone: string, epochMs: number): number {
  const bucket = Math.floor(epochMs / BUCKET_MS);
  const key = `${timeZone}|${bucket}`;
  const cached = offsetCache.get(key);
  if (cached !== undefined) return cached;
  const start = offsetAt(timeZone, bucket * BUCKET_MS);
  const end = offsetAt(timeZone, bucket * BUCKET_MS + BUCKET_MS - 1);
  if (start !== end) return offsetAt(timeZone, epochMs);
  if (offsetCache.size > 100_000) offsetCache.clear();
  offsetCache.set(key, start);
  return start;
}

function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** Formats an instant in an IANA zone as ISO-8601 with that zone's offset at that instant (DST-correct). */
export function formatInZone(instant: Date, timeZone: string): string {
  const epochMs = instant.getTime();
  if (Number.isNaN(epochMs)) throw new TypeError('DateTime cannot represent an invalid date');
  const offset = offsetMinutes(timeZone, epochMs);
  const local = new Date(epochMs + offset * 60_000).toISOString(); // yyyy-mm-ddThh:mm:ss.sssZ
  const millis = epochMs % 1000 === 0 ? '' : local.slice(19, 23);
  return `${local.slice(0, 19)}${millis}${formatOffset(offset)}`;
}
