import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './support/browser.js';
import { startTestServer, type TestServer } from './support/server.js';
import { createCustomer, createOrg, type TestOrg } from './support/world.js';

/** Writes into one of GraphiQL's editors: CodeMirror 5 keeps its editor on the wrapper element. */
async function setEditor(page: Page, selector: string, value: string): Promise<void> {
  await page.evaluate(`(() => {
    const wrapper = document.querySelector(${JSON.stringify(selector)});
    if (!wrapper || !wrapper.CodeMirror) throw new Error('No editor at ${selector}');
    wrapper.CodeMirror.setValue(${JSON.stringify(value)});
  })()`);
}

describe('GraphiQL at /graphiql, offline', () => {
  let server: TestServer;
  let org: TestOrg;
  let browser: Browser;

  beforeAll(async () => {
    server = await startTestServer();
    org = await createOrg(server.em());
    await createCustomer(server.em(), org, { firstName: 'Offlinia', mobile: '6591239999' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('loads with every asset from this server, and runs a query with the key written in its Headers tab', { timeout: 60_000 }, async () => {
    const origin = new URL(server.url).origin;
    const context = await browser.newContext();
    const elsewhere: string[] = [];
    // A machine without internet: anything not from this server fails, and is noted.
    await context.route('**/*', async (route) => {
      const url = route.request().url();
      if (url.startsWith(origin) || url.startsWith('data:')) return route.continue();
      elsewhere.push(url);
      return route.abort('internetdisconnected');
    });
    const page = await context.newPage();
    const failures: string[] = [];
    page.on('pageerror', (error) => failures.push(error.message));
    try {
      const response = await page.goto(`${origin}/graphiql`);
      expect(response?.status()).toBe(200);
      expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
      await page.waitForSelector('.graphiql-container', { timeout: 20_000 });

      await setEditor(page, '.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror', JSON.stringify({ Authorization: `Bearer ${org.key}` }));
      await setEditor(page, '.graphiql-query-editor .CodeMirror', 'query Offline { customers(first: 1) { edges { node { firstName } } } }');
      await page.click('.graphiql-execute-button');
      await expect.poll(() => page.locator('.graphiql-response').innerText(), { timeout: 15_000 }).toContain('Offlinia');

      // Without the key, the API refuses, and GraphiQL shows why.
      await setEditor(page, '.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror', '{}');
      await page.click('.graphiql-execute-button');
      await expect.poll(() => page.locator('.graphiql-response').innerText(), { timeout: 15_000 }).toContain('UNAUTHENTICATED');

      expect(elsewhere).toEqual([]);
      expect(failures).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('serves only the files it names from node_modules', async () => {
    const origin = new URL(server.url).origin;
    const script = await fetch(`${origin}/graphiql/assets/graphiql.min.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    for (const probe of ['package.json', '..%2F..%2Fpackage.json', '%2e%2e%2f%2e%2e%2fetc%2fpasswd', 'constructor', '__proto__']) {
      expect((await fetch(`${origin}/graphiql/assets/${probe}`)).status, probe).toBe(404);
    }
  });

  it('is not served in production, where introspection is off', async () => {
    const production = await startTestServer({ production: true });
    try {
      expect((await fetch(new URL('/graphiql', production.url))).status).toBe(404);
      expect((await fetch(new URL('/graphiql/assets/graphiql.min.js', production.url))).status).toBe(404);
    } finally {
      await production.stop();
    }
  });
});
