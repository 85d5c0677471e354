import { createRequire } from 'node:module';
import path from 'node:path';
import { Router } from 'express';
import { sendStatic, staticAssets } from './static-files.js';

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

function inPackage(pkg: string, file: string): () => string {
  return () => path.join(path.dirname(require.resolve(`${pkg}/package.json`)), file);
}

/** The files the page loads, by the name it asks for: where each is in node_modules, and its type. */
const ASSETS: Readonly<Record<string, readonly [file: () => string, type: string]>> = {
  'react.production.min.js': [inPackage('react', 'umd/react.production.min.js'), 'text/javascript; charset=utf-8'],
  'react-dom.production.min.js': [inPackage('react-dom', 'umd/react-dom.production.min.js'), 'text/javascript; charset=utf-8'],
  'graphiql.min.js': [inPackage('graphiql', 'graphiql.min.js'), 'text/javascript; charset=utf-8'],
  'graphiql.min.css': [inPackage('graphiql', 'graphiql.min.css'), 'text/css; charset=utf-8'],
};

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

/** `/graphiql` and its assets, for the GraphQL endpoint at `graphqlPath`; files are read once, when first asked for. */
export function graphiqlRoutes(graphqlPath: string): Router {
  const router = Router();
  const start = startScript(graphqlPath);
  router.get(GRAPHIQL_PATH, (_req, res) => {
    res.set('content-security-policy', CSP);
    sendStatic(res, 'text/html; charset=utf-8', PAGE, 0);
  });
  router.get(`${GRAPHIQL_PATH}/assets/start.js`, (_req, res) => sendStatic(res, 'text/javascript; charset=utf-8', start, 0));
  router.get(`${GRAPHIQL_PATH}/assets/:name`, staticAssets(ASSETS, 86_400));
  return router;
}
