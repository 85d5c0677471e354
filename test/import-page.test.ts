import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './support/browser.js';
import { gqlClient } from './support/client.js';
import { csv, customersTemplate, storeCodeOf } from './support/imports.js';
import { startTestServer, type TestServer } from './support/server.js';
import { startWorkerProcess, type WorkerProcess } from './support/worker-process.js';
import { createOrg, type TestOrg } from './support/world.js';

/** Where the page's screenshot is kept (CI keeps the folder as an artifact). */
const ARTIFACTS = path.resolve('test-results');
const ROWS = 60_000;

/** POST /imports with a raw CSV body, as curl --data-binary does; the job's id. */
async function upload(server: TestServer, org: TestOrg, templateId: string, body: string): Promise<string> {
  const response = await fetch(new URL(`/imports?templateId=${encodeURIComponent(templateId)}&fileName=members.csv`, server.url), {
    method: 'POST',
    headers: { authorization: `Bearer ${org.key}`, 'content-type': 'text/csv' },
    body,
  });
  expect(response.status).toBe(202);
  return ((await response.json()) as { job: { id: string } }).job.id;
}

async function signIn(page: Page, origin: string, pathName: string, key: string): Promise<void> {
  await page.goto(`${origin}${pathName}`);
  await page.fill('#key', key);
  await page.click('#sign-in button[type=submit]');
}

describe('the live import page, in Chromium', () => {
  let server: TestServer;
  let org: TestOrg;
  let browser: Browser;
  let worker: WorkerProcess | undefined;
  let templateId: string;
  let store: string;

  beforeAll(async () => {
    // No workers in the server: a job waits, queued, until the test starts one.
    server = await startTestServer({ importWorkers: 0 });
    org = await createOrg(server.em());
    templateId = await customersTemplate(gqlClient(server.url, org.key));
    store = await storeCodeOf(server, org);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await worker?.stop();
    await browser?.close();
    await server?.stop();
  });

  it('follows a running import: the bar moves, errors and their counts appear as text, the final state shows', { timeout: 120_000 }, async () => {
    // Every 100th row has a bad mobile; the last carries markup, which must show as text.
    const rows: (string | number)[][] = [['Mobile', 'First Name', 'Store']];
    for (let i = 0; i < ROWS; i += 1) rows.push([i === ROWS - 1 ? '<img src=x onerror="document.title=1">' : i % 100 === 50 ? 'not-a-mobile' : `659${String(i).padStart(7, '0')}`, 'Member', store]);
    const jobId = await upload(server, org, templateId, csv(rows));

    const origin = new URL(server.url).origin;
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    try {
      await signIn(page, origin, `/imports/${encodeURIComponent(jobId)}`, org.key);
      await expect.poll(() => page.textContent('#state'), { timeout: 15_000 }).toBe('QUEUED');

      // Watch the bar while a worker runs the job.
      const values = new Set<number>();
      let watching = true;
      const watch = (async () => {
        while (watching) {
          values.add(Number(await page.getAttribute('#bar', 'value')));
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
      })();
      worker = await startWorkerProcess(server.databaseUrl);
      await expect.poll(() => page.getAttribute('body', 'data-state'), { timeout: 90_000 }).toBe('COMPLETED_WITH_ERRORS');
      watching = false;
      await watch;
      // The bar moved through values between empty and full, not straight to the end.
      expect([...values].filter((value) => value > 0 && value < 1000).length).toBeGreaterThanOrEqual(1);
      expect(await page.getAttribute('#bar', 'value')).toBe('1000');

      expect(Number((await page.textContent('#rowsRejected'))?.replaceAll(',', ''))).toBe(ROWS / 100 + 1);
      expect(Number((await page.textContent('#rowsAccepted'))?.replaceAll(',', ''))).toBe(ROWS - ROWS / 100 - 1);
      // Counts by code: the whole job's, once it has ended.
      const counts = (await page.evaluate("Array.from(document.querySelectorAll('#counts tr'), (tr) => Array.from(tr.children, (td) => td.textContent))")) as string[][];
      expect(counts.reduce((sum, [, n]) => sum + Number(n?.replaceAll(',', '')), 0)).toBe(ROWS / 100 + 1);
      expect(await page.locator('#errors tr').count()).toBeGreaterThan(0);
      // The hostile cell is shown as the text it is (the newest error); nothing of it ran.
      expect(await page.textContent('#errors tr:first-child .value')).toBe('<img src=x onerror="document.title=1">');
      expect(await page.locator('#errors img').count()).toBe(0);
      expect(await page.title()).toBe('Imports · Loyalty graph');
      expect(await page.locator('#cancel').isHidden()).toBe(true);

      await mkdir(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: path.join(ARTIFACTS, 'import-page.png'), fullPage: true });
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('lists the org\'s imports, cancels a queued one with its button, and asks for a key again when it is refused', { timeout: 60_000 }, async () => {
    await worker?.stop();
    worker = undefined;
    const jobId = await upload(server, org, templateId, csv([['Mobile', 'First Name', 'Store'], ['6591111111', 'Queued', store]]));
    const origin = new URL(server.url).origin;
    const page = await browser.newPage();
    try {
      await signIn(page, origin, '/imports', org.key);
      await page.waitForSelector('#jobs');
      expect(await page.locator(`#jobs a[href="/imports/${encodeURIComponent(jobId)}"]`).count()).toBe(1);

      await page.click(`#jobs a[href="/imports/${encodeURIComponent(jobId)}"]`);
      await expect.poll(() => page.textContent('#state'), { timeout: 15_000 }).toBe('QUEUED');
      await page.click('#cancel');
      await expect.poll(() => page.getAttribute('body', 'data-state'), { timeout: 15_000 }).toBe('CANCELLED');

      // A key that is refused: the page forgets it and asks again.
      await page.evaluate("sessionStorage.setItem('loyalty.staffKey', 'lg_not_a_key')");
      await page.goto(`${origin}/imports`);
      await page.waitForSelector('#sign-in');
      expect(await page.textContent('main')).toContain('refused');
    } finally {
      await page.close();
    }
  });
});
