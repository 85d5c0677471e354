import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { generate, loadContext } from '@graphql-codegen/cli';
import { describe, expect, it } from 'vitest';

interface GeneratedFile {
  readonly filename: string;
  readonly content: string;
}

async function checkedIn(filename: string): Promise<string | undefined> {
  try {
    return await readFile(path.resolve(filename), 'utf8');
  } catch {
    return undefined;
  }
}

describe('GraphQL Code Generator output', () => {
  it('test/generated is what codegen.yml makes of the schema and test/**/*.graphql (run `npm run codegen` if this fails)', async () => {
    // The same config as `npm run codegen`, generated in memory: nothing is written.
    const context = await loadContext(path.resolve('codegen.yml'));
    context.updateConfig({ silent: true });
    const outputs = (await generate(context, false)) as GeneratedFile[];
    expect(outputs.length).toBeGreaterThan(0);

    const stale: string[] = [];
    for (const output of outputs) {
      if ((await checkedIn(output.filename)) !== output.content) stale.push(output.filename);
    }
    expect(stale, 'Generated GraphQL types are stale: run `npm run codegen` and check in test/generated').toEqual([]);
  });
});
