import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../src/app/seed/demo.js';
import { DEMO_CAMPAIGNS } from '../src/app/seed/demo-campaigns.js';
import { launchBrowser } from './support/browser.js';
import { startTestServer, type TestServer } from './support/server.js';

const ROOT = path.resolve(import.meta.dirname, '..');

/** Waits until `read()` matches `pattern`, and returns the match. */
async function waitFor(read: () => string, pattern: RegExp, timeoutMs = 20_000): Promise<RegExpExecArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = pattern.exec(read());
    if (match) return match;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${pattern} in:\n${read()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * `npm run example:partner-app` against the demo org, as the README tells a newcomer to run it:
 * the example prints the link, a real browser signs the demo customer in with the code the
 * example found in the server's SMS outbox, and the example prints their tier, points and the
 * campaigns they are partway through.
 */
describe('examples/partner-app against the demo data', () => {
  let server: TestServer;
  let dataDir: string;
  let browser: Browser;
  let example: ChildProcess | undefined;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'partner-app-'));
    server = await startTestServer({ config: { smsGatewayUrl: undefined, dataDir } });
    await seedDemo(server.em());
    browser = await launchBrowser();
  });
  afterAll(async () => {
    example?.kill();
    await browser?.close();
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('signs the demo customer in and prints their tier, points and campaigns', async () => {
    let output = '';
    example = spawn(process.execPath, ['--import', 'tsx', 'examples/partner-app/index.ts'], {
      cwd: ROOT,
      env: { ...process.env, ISSUER: `${new URL(server.url).origin}/oauth`, SMS_OUTBOX: path.join(dataDir, 'outbox', 'sms') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    example.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    example.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => example?.on('exit', resolve));

    const [, link] = await waitFor(() => output, /(http:\/\/\S+\/oauth\/auth\?\S+)/);
    const page = await browser.newPage({ javaScriptEnabled: false });
    await page.goto(link!);
    await page.getByLabel('Mobile number or email').fill('6591000000');
    await page.getByRole('button', { name: 'Send code' }).click();
    const [, code] = await waitFor(() => output, /outbox has a code for 6591000000: (\d{6})/);
    await page.getByLabel('6-digit code').fill(code!);
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(await page.textContent('body')).toContain('Demo partner app');
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.close();

    expect(await exited).toBe(0);
    expect(output).toContain('Signed in as Tom (scopes: openid profile points:read campaigns:read).');
    expect(output).toMatch(/Demo Coffee Rewards: \w+ tier, \d+ points/);
    expect(output).toMatch(new RegExp(`Campaign "${DEMO_CAMPAIGNS.spend.name}": 180 of 500 spent \\(36%\\), ends \\d{4}-\\d\\d-\\d\\d\n`));
    expect(output).toMatch(new RegExp(`Campaign "${DEMO_CAMPAIGNS.visits.name}": 3 of 5 visits \\(60%\\), ends \\d{4}-\\d\\d-\\d\\d\n`));
  });
});
