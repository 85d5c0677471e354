import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Router, type Response } from 'express';

/**
 * GraphiQL at `/graphiql`, whole from this server: the page, its script, and GraphiQL's and React's
 * builds from node_modules. Apollo Sandbox (at `/graphql` in a browser) loads its UI from a CDN
 * and cannot be used on a machine without internet; this page can.
 *
 * The page sends no key by itself: the caller writes `Authorization: Bearer <key>` in GraphiQL's
 * Headers tab (kept by the browser only when asked to). Served outside production only, with the
 * introspection it needs.
 */

export const GRAPHIQL_PATH = '/graphiql';

const require = createRequire(import.meta.url);

/** The files the page loads, by the name it asks for: [package, file in it, content type]. */
const ASSETS: Readonly<Record<string, readonly [string, string, string]>> = {
  'react.production.min.js': ['react', 'umd/react.production.min.js', 'text/javascript; charset=utf-8'],
  'react-dom.production.min.js': ['react-dom', 'umd/react-dom.production.min.js', 'text/javascript; charset=utf-8'],
  'graphiql.min.js': ['graphiql', 'graphiql.min.js', 'text/javascript; charset=utf-8'],
  'graphiql.min.css': ['graphiql', 'graphiql.min.css', 'text/css; charset=utf-8'],
};

function assetPath(pkg: string, file: string): string {
  return path.join(path.dirname(require.resolve(`${pkg}/package.json`)), file);
}

/** Starts GraphiQL on this server's endpoint, with a reminder of where the key goes. */
const startScript = (graphqlPath: string): string => `'use strict';
(function () {
  var endpoint = new URL(${JSON.stringify(graphqlPath)}, window.location.href).href;
  var fetcher = GraphiQL.createFetcher({ url: endpoint });
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultEditorToolsVisibility: 'headers',
      defaultHeaders: '{\\n  "Authorization": "Bearer <your API key>"\\n}',
      defaultQuery: '# Put your API key in Headers below, then run:\\n{\\n  customers(first: 5) {\\n    edges {\\n      node {\\n        id\\n        firstName\\n        lastName\\n      }\\n    }\\n  }\\n}\\n',
    }),
  );
})();
`;

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Loyalty graph · GraphiQL</title>
    <link rel="stylesheet" href="${GRAPHIQL_PATH}/assets/graphiql.min.css" />
    <style>html, body, #graphiql { height: 100%; margin: 0; }</style>
  </head>
  <body>
    <div id="graphiql">Loading GraphiQL…</div>
    <script src="${GRAPHIQL_PATH}/assets/react.production.min.js"></script>
    <script src="${GRAPHIQL_PATH}/assets/react-dom.production.min.js"></script>
    <script src="${GRAPHIQL_PATH}/assets/graphiql.min.js"></script>
    <script src="${GRAPHIQL_PATH}/assets/start.js"></script>
  </body>
</html>
`;

/**
 * Scripts and styles only from this server (GraphiQL's inline styles and data-URI fonts and
 * images aside), requests only to it, and never in another site's frame.
 */
const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; font-src 'self' data:; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

function send(res: Response, type: string, body: string | Buffer, cache: boolean): void {
  res
    .status(200)
    .set('content-type', type)
    .set('x-content-type-options', 'nosniff')
    .set('cache-control', cache ? 'public, max-age=86400' : 'no-store')
    .send(body);
}

/** `/graphiql` and its assets, for the GraphQL endpoint at `graphqlPath`; files are read once, when first asked for. */
export function graphiqlRoutes(graphqlPath: string): Router {
  const router = Router();
  const start = startScript(graphqlPath);
  const files = new Map<string, Buffer>();
  router.get(GRAPHIQL_PATH, (_req, res) => {
    res.set('content-security-policy', CSP);
    send(res, 'text/html; charset=utf-8', PAGE, false);
  });
  router.get(`${GRAPHIQL_PATH}/assets/start.js`, (_req, res) => send(res, 'text/javascript; charset=utf-8', start, false));
  router.get(`${GRAPHIQL_PATH}/assets/:name`, (req, res, next) => {
    const asset = Object.hasOwn(ASSETS, req.params.name) ? ASSETS[req.params.name] : undefined;
    if (!asset) {
      next();
      return;
    }
    const [pkg, file, type] = asset;
    let body = files.get(req.params.name);
    if (!body) files.set(req.params.name, (body = readFileSync(assetPath(pkg, file))));
    send(res, type, body, true);
  });
  return router;
}
