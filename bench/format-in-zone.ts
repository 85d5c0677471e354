import { formatInZone } from '../src/core/time.js';
import { seededRandom } from '../test/support/random.js';

/**
 * `node --import tsx bench/format-in-zone.ts`: the cost of `formatInZone`, which every DateTime of
 * every response goes through (#20). Formats 1M instants spread over 20 years in 3 zones, in
 * rounds, and prints the best round's mean per instant (a CPU-bound loop on a shared machine: the
 * best round is the one least disturbed). Nothing is asserted: performance is never a unit test.
 */

const ZONES = ['America/New_York', 'Europe/London', 'Australia/Sydney'];
const COUNT = 1_000_000;
const ROUNDS = 5;
const FROM = Date.UTC(2010, 0, 1);
const SPAN = Date.UTC(2030, 0, 1) - FROM;

const next = seededRandom(20);
const instants = Array.from({ length: COUNT }, () => new Date(FROM + Math.floor(next() * SPAN)));

let best = Infinity;
let checksum = 0;
for (let round = 0; round < ROUNDS; round += 1) {
  const started = performance.now();
  for (let i = 0; i < COUNT; i += 1) checksum += formatInZone(instants[i], ZONES[i % ZONES.length]).length;
  const elapsed = performance.now() - started;
  best = Math.min(best, elapsed);
  console.log(`round ${round + 1}: ${elapsed.toFixed(0)} ms`);
}
console.log(`best: ${best.toFixed(0)} ms for ${COUNT} instants, ${((best * 1000) / COUNT).toFixed(3)} µs each (checksum ${checksum})`);
