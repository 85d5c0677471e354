import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Router, type Response } from 'express';
import { sendStatic, staticAssets } from './static-files.js';

/**
 * Import pages: `GET /imports` (the org's latest jobs) and `GET /imports/:id` (one job, live), small
 * pages of our own with no framework and nothing from elsewhere: the script next to this file and
 * graphql-ws's browser build from node_modules. They carry no data and need no credentials: the
 * script signs in with a staff API key the user types (kept in the tab's session storage), reads
 * through `/graphql` and follows `importProgress` and `importErrors` over graphql-ws. Every value
 * it shows is written as text, never as markup.
 */

const require = createRequire(import.meta.url);
const HERE = path.dirname(fileURLToPath(import.meta.url));

const ASSETS: Readonly<Record<string, readonly [file: () => string, type: string]>> = {
  'import-page.js': [() => path.join(HERE, 'import-page.js'), 'text/javascript; charset=utf-8'],
  'import-page.css': [() => path.join(HERE, 'import-page.css'), 'text/css; charset=utf-8'],
  'graphql-ws.min.js': [() => path.join(path.dirname(require.resolve('graphql-ws/package.json')), 'umd/graphql-ws.min.js'), 'text/javascript; charset=utf-8'],
};

/** Scripts, styles and connections (HTTP and WebSocket) only to this server; never framed. */
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Imports · Loyalty graph</title>
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="/imports/assets/import-page.css" />
  </head>
  <body>
    <header><a href="/imports">Imports</a><span id="who"></span><button id="sign-out" type="button" hidden>Sign out</button></header>
    <main id="main"><p>Loading…</p></main>
    <script src="/imports/assets/graphql-ws.min.js"></script>
    <script src="/imports/assets/import-page.js"></script>
  </body>
</html>
`;

export function importPages(): Router {
  const router = Router();
  router.get('/imports/assets/:name', staticAssets(ASSETS, 3_600));
  const page = (_req: unknown, res: Response): void => {
    res.set('content-security-policy', CSP).set('referrer-policy', 'no-referrer');
    sendStatic(res, 'text/html; charset=utf-8', PAGE, 0);
  };
  router.get('/imports', page);
  router.get('/imports/:id', page);
  return router;
}
