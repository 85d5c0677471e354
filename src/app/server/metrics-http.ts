import { createHash, timingSafeEqual } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { ApolloServerPlugin } from '@apollo/server';
import { Router, type Request, type RequestHandler } from 'express';
import type { AppMetrics } from '../metrics.js';
import type { RequestContext } from '../../api/context.js';

/** The API's own paths, as metrics label them: never the request's raw URL (ids, query strings). */
const ROUTES: readonly [prefix: string, label: string][] = [
  ['/graphql', '/graphql'],
  ['/health/live', '/health/live'],
  ['/health/ready', '/health/ready'],
  ['/health', '/health'],
  ['/metrics', '/metrics'],
  ['/imports', '/imports'],
  ['/oauth', '/oauth'],
  ['/webhooks/sms', '/webhooks/sms'],
];

function routeOf(req: Request): string {
  const path = req.originalUrl.split('?', 1)[0] ?? '';
  for (const [prefix, label] of ROUTES) if (path === prefix || path.startsWith(`${prefix}/`)) return label;
  return 'other';
}

/** Counts and times every HTTP request once it is answered (or its connection closes first). */
export function httpMetrics(metrics: AppMetrics): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    let counted = false;
    const count = (): void => {
      if (counted) return;
      counted = true;
      const route = routeOf(req);
      const status = res.headersSent ? String(res.statusCode) : 'aborted';
      metrics.httpRequests.inc({ method: req.method, route, status });
      metrics.httpDuration.observe({ method: req.method, route }, (performance.now() - started) / 1000);
      if (res.statusCode === 429) metrics.rateLimitRefusals.inc({ route });
    };
    res.once('finish', count);
    res.once('close', count);
    next();
  };
}

/** GraphQL operations over HTTP by name, type and outcome, timed from the request's start to its response. */
export function graphqlMetricsPlugin(metrics: AppMetrics): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      const started = performance.now();
      return {
        async willSendResponse({ operationName, operation, response }) {
          const labels = { operation: metrics.operationLabel(operationName), type: operation?.operation ?? 'unknown' };
          const failed = response.body.kind === 'single' && (response.body.singleResult.errors?.length ?? 0) > 0;
          metrics.graphqlOperations.inc({ ...labels, outcome: failed ? 'error' : 'ok' });
          metrics.graphqlDuration.observe(labels, (performance.now() - started) / 1000);
        },
      };
    },
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/**
 * `GET /metrics` for a scraper holding the token (`Authorization: Bearer <METRICS_TOKEN>`). The
 * token is compared in constant time, and nothing is read or computed for a caller without it.
 */
export function metricsRoute(metrics: AppMetrics, token: string): Router {
  const router = Router();
  const expected = digest(token);
  router.get('/metrics', async (req, res) => {
    const given = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1];
    if (!given || !timingSafeEqual(digest(given), expected)) {
      res.status(401).set('www-authenticate', 'Bearer').json({ errors: [{ message: 'The metrics need the scrape token.', extensions: { code: 'UNAUTHENTICATED' } }] });
      return;
    }
    res.set('content-type', metrics.contentType).set('cache-control', 'no-store').send(await metrics.scrape());
  });
  return router;
}
