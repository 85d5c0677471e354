import { runLoad, type LoadRunOptions, type LoadRunResult } from './autocannon-run.js';

/**
 * A ratio that holds still on a machine whose speed drifts. Measured one after the other (the
 * floor for a while, then the server), the two sides see different machines: on our 2-vCPU
 * machines the same floor went from 475 to 653 req/s within ten minutes, and that drift, not the
 * code, decided the ratio. So both sides run in alternating rounds, each round a floor run and a
 * server run side by side in time (the floor first in odd rounds, the server first in even ones,
 * so a steady drift favours neither), each round gives its own ratio, and the figure is the
 * median of those ratios; their spread is reported with it.
 *
 * A first round that does not count comes before them: each side warms up until two windows agree
 * and then runs as long as a measured run. A warm-up that looks steady can still be climbing
 * slowly (a floor over a cold cache of millions of rows measured 295 req/s in its first round and
 * 583 in its second), and whichever side ran first would pay for warming the cache of both.
 */

/** Rounds by default: an odd number, so the median is a round's own ratio. */
export const DEFAULT_ROUNDS = 3;
/** Warm-up windows of the counted rounds, after the warm-up round made both targets steady. */
const LATER_WARMUP_SECONDS = 2;

/** A round of two loads; its ratio is GraphQL req/s over floor req/s. */
export type PairedRound = Round<LoadRunResult>;

export interface PairedRuns {
  /** The uncounted first round. */
  readonly warmupRound: PairedRound;
  readonly rounds: readonly PairedRound[];
  /** The median of the rounds' ratios. */
  readonly ratio: number;
  readonly ratioMin: number;
  readonly ratioMax: number;
  /** The runs of the round whose ratio is the median: what a table shows for each side. */
  readonly floor: LoadRunResult;
  readonly graphql: LoadRunResult;
}

export function throughputRatio(graphql: LoadRunResult, floor: LoadRunResult): number {
  return floor.requestsPerSecond > 0 ? Math.round((graphql.requestsPerSecond / floor.requestsPerSecond) * 1000) / 1000 : 0;
}

/** The median of `values` (the mean of the middle two for an even count), to 3 decimals. */
export function medianOf(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor((sorted.length - 1) / 2);
  const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle]! + sorted[middle + 1]!) / 2;
  return Math.round(median * 1000) / 1000;
}

/** One round's measurements of each side, and the server's over the floor's. */
export interface Round<R> {
  readonly floor: R;
  readonly graphql: R;
  readonly ratio: number;
}

/**
 * `rounds` rounds of `floor(round)` and `graphql(round)`, the floor first in odd rounds and the
 * server first in even ones; the round whose ratio is the median stands for both sides.
 */
export async function alternatingRounds<R>(
  rounds: number,
  floor: (round: number) => Promise<R>,
  graphql: (round: number) => Promise<R>,
  ratioOf: (graphql: R, floor: R) => number,
  log: (line: string) => void,
): Promise<{ readonly rounds: readonly Round<R>[]; readonly median: Round<R>; readonly ratio: number; readonly ratioMin: number; readonly ratioMax: number }> {
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`rounds must be a positive integer, got ${rounds}`);
  const results: Round<R>[] = [];
  for (let round = 1; round <= rounds; round += 1) {
    let floorRun: R;
    let graphqlRun: R;
    if (round % 2 === 1) {
      floorRun = await floor(round);
      graphqlRun = await graphql(round);
    } else {
      graphqlRun = await graphql(round);
      floorRun = await floor(round);
    }
    const ratio = ratioOf(graphqlRun, floorRun);
    log(`round ${round} of ${rounds}: ratio ${ratio}`);
    results.push({ floor: floorRun, graphql: graphqlRun, ratio });
  }
  const sorted = [...results].sort((a, b) => a.ratio - b.ratio);
  const median = sorted[Math.floor((sorted.length - 1) / 2)]!;
  return { rounds: results, median, ratio: medianOf(results.map((round) => round.ratio)), ratioMin: sorted[0]!.ratio, ratioMax: sorted[sorted.length - 1]!.ratio };
}

/** An uncounted warm-up round, then `rounds` rounds of a floor load and a GraphQL load, alternating which goes first. */
export async function runPairedRounds(rounds: number, floor: LoadRunOptions, graphql: LoadRunOptions, log: (line: string) => void): Promise<PairedRuns> {
  const warmupFloor = await runLoad({ ...floor, name: `${floor.name}, warm-up round` }, log);
  const warmupGraphql = await runLoad({ ...graphql, name: `${graphql.name}, warm-up round` }, log);
  const warmupRound: PairedRound = { floor: warmupFloor, graphql: warmupGraphql, ratio: throughputRatio(warmupGraphql, warmupFloor) };
  log(`[${graphql.name} / ${floor.name}] warm-up round (not counted): ratio ${warmupRound.ratio}`);
  const inRound = (options: LoadRunOptions, round: number): LoadRunOptions => ({
    ...options,
    name: `${options.name}, round ${round}`,
    warmupSeconds: Math.min(options.warmupSeconds, LATER_WARMUP_SECONDS),
  });
  const measured = await alternatingRounds(
    rounds,
    (round) => runLoad(inRound(floor, round), log),
    (round) => runLoad(inRound(graphql, round), log),
    throughputRatio,
    (line) => log(`[${graphql.name} / ${floor.name}] ${line}`),
  );
  return { warmupRound, rounds: measured.rounds, ratio: measured.ratio, ratioMin: measured.ratioMin, ratioMax: measured.ratioMax, floor: measured.median.floor, graphql: measured.median.graphql };
}
