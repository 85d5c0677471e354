import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The arguments an npm script (`start`, `worker`) gives node, V8 flags included: a process started by a test or a benchmark runs as users run it. */
export function npmScriptNodeArgs(script: string): string[] {
  const packageJson = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string | undefined> };
  const [command, ...args] = (packageJson.scripts[script] ?? '').trim().split(/\s+/);
  if (command !== 'node') throw new Error(`npm run ${script} is expected to run node, not "${command}"`);
  return args;
}
