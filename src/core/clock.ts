/**
 * Where "now" comes from. Everything that decides by time (replay windows, redemption ranges,
 * expiry, join dates in the future) asks a Clock, so tests can move time without waiting.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock tests can set and move; it starts at `start` and stands still unless told otherwise. */
export class ManualClock implements Clock {
  private current: number;

  constructor(start: Date = new Date()) {
    this.current = start.getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  set(instant: Date): void {
    this.current = instant.getTime();
  }

  advance(milliseconds: number): void {
    this.current += milliseconds;
  }
}
