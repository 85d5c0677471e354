import { readFile } from 'node:fs/promises';

/** The parts of a V8 `.cpuprofile` (as `node --cpu-prof` writes it) this summary reads. */
interface CpuProfile {
  readonly nodes: readonly { readonly id: number; readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number }; readonly hitCount?: number }[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface ProfileShare {
  readonly name: string;
  readonly selfMs: number;
  /** Of the busy time (idle excluded). */
  readonly share: number;
}

export interface ProfileSummary {
  readonly busyMs: number;
  readonly idleMs: number;
  readonly byPackage: ProfileShare[];
  readonly topFunctions: ProfileShare[];
}

/**
 * Where a function lives, as a reader looks for it: an npm package (`graphql`, `@mikro-orm/core`),
 * a part of our code (`src/api/customer`), Node itself, or V8's own buckets (garbage collector,
 * program).
 */
export function packageOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const [first, second] = url.slice(modules + '/node_modules/'.length).split('/');
    return first.startsWith('@') ? `${first}/${second}` : first;
  }
  if (url.startsWith('node:')) return 'node';
  const src = url.indexOf('/src/');
  if (src >= 0) {
    const parts = url.slice(src + 1).split('/');
    return parts.length > 3 ? parts.slice(0, 3).join('/') : parts.slice(0, 2).join('/');
  }
  return url.replace(/^file:\/\//, '');
}

/** Self time per package and per function of a profile, busiest first. */
export async function summarizeProfile(file: string, top = 25): Promise<ProfileSummary> {
  const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  const selfUs = new Map<number, number>();
  profile.samples.forEach((nodeId, index) => selfUs.set(nodeId, (selfUs.get(nodeId) ?? 0) + (profile.timeDeltas[index] ?? 0)));
  const packages = new Map<string, number>();
  const functions = new Map<string, number>();
  let idleUs = 0;
  let busyUs = 0;
  for (const node of profile.nodes) {
    const us = selfUs.get(node.id) ?? 0;
    if (us === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') {
      idleUs += us;
      continue;
    }
    busyUs += us;
    const pkg = packageOf(url, functionName);
    packages.set(pkg, (packages.get(pkg) ?? 0) + us);
    const fn = `${functionName || '(anonymous)'} ${pkg}${url ? `:${lineNumber + 1}` : ''}`;
    functions.set(fn, (functions.get(fn) ?? 0) + us);
  }
  const shares = (entries: Map<string, number>): ProfileShare[] =>
    [...entries]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, selfMs: Math.round(us / 100) / 10, share: busyUs === 0 ? 0 : Math.round((us / busyUs) * 1000) / 1000 }));
  return { busyMs: Math.round(busyUs / 1000), idleMs: Math.round(idleUs / 1000), byPackage: shares(packages), topFunctions: shares(functions) };
}

/** The summary as a few lines of text for the terminal. */
export function formatProfileSummary(summary: ProfileSummary): string {
  const line = (entry: ProfileShare) => `  ${(entry.share * 100).toFixed(1).padStart(5)}%  ${String(entry.selfMs).padStart(9)} ms  ${entry.name}`;
  return [
    `CPU profile: ${summary.busyMs} ms busy, ${summary.idleMs} ms idle`,
    'Self time by package:',
    ...summary.byPackage.map(line),
    'Top functions (self time):',
    ...summary.topFunctions.map(line),
  ].join('\n');
}
