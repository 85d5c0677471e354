// type-graphql's decorators need the metadata polyfill before any decorated class is loaded.
import type { EntityManager } from '@mikro-orm/postgresql';
import 'reflect-metadata';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { expressMiddleware } from '@as-integrations/express5';
import type { MikroORM } from '@mikro-orm/postgresql';
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import graphqlUploadExpress from 'graphql-upload/graphqlUploadExpress.mjs';
import { type GraphQLSchema } from 'graphql';
import { WebSocketServer } from 'ws';
import { systemClock, type Clock } from '../../core/clock.js';
import type { AppConfig } from '../env.js';
import { withQueryStats, type QueryStats } from '../../core/sql/query-stats.js';
import { combineReads } from '../../core/sql/rows.js';
import { OPERATION_LIMITS, operationLimitRules } from '../../api/armor.js';
import { costLimitError, operationCost } from '../../api/cost.js';
import { formatErrorFor, UnauthenticatedError } from '../../api/errors.js';
import { buildAppSchema } from '../schema.js';
import { AuthFailureLimiter } from '../../domain/auth/auth-failures.js';
import { ApiKeyAuthenticator } from '../../domain/auth/auth.service.js';
import { createCustomerRequestContext, createRequestContext, type RequestContext } from '../../api/context.js';
import { CustomerAuthenticator } from '../../domain/auth/customer-auth.js';
import { StaffAuthenticator } from '../../domain/auth/staff-oidc.js';
import { customerAccessPlugin } from './customer-access-plugin.js';
import { authenticateRequest, callerOf, customerHolderOf, isMultipart, limitUploadsPerKey, refuse } from './http-auth.js';
import { importRoutes } from './imports-http.js';
import { smsWebhookRoutes } from './sms-webhook-http.js';
import { startRuntime, type AppRuntime } from './runtime.js';
import { attachGraphqlWs } from './websocket.js';
import { executorOf, jitGateway } from './jit-executor.js';
import { mountOAuth, type OAuthMount } from '../oauth/mount.js';
import { MIGRATIONS_DIR } from '../orm.js';
import { healthRoutes, Readiness } from './health.js';
import { graphiqlRoutes } from './graphiql.js';
import { importPages } from './import-pages.js';
import type { Logger } from 'pino';
import { appLog, createLogger } from '../logger.js';
import { recordOperation, requestLog, requestLogPlugin } from './request-log.js';
import { createMetrics, type AppMetrics } from '../metrics.js';
import { graphqlMetricsPlugin, httpMetrics, metricsRoute } from './metrics-http.js';

export const GRAPHQL_PATH = '/graphql';

/** How long in-flight requests may take to finish on shutdown before their sockets are closed. */
const SHUTDOWN_GRACE_MS = 5_000;
/** A client has this long to send its request headers. */
const HEADERS_TIMEOUT_MS = 30_000;
/** A connection that sends and receives nothing for this long is closed (slow or stalled clients). */
const IDLE_SOCKET_MS = 120_000;

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  /** Stops accepting work, drains in-flight requests and closes every socket. */
  stop(): Promise<void>;
}

export interface ServerOptions {
  readonly orm: MikroORM;
  readonly config: AppConfig;
  readonly log?: (message: string, error?: unknown) => void;
  /** Where "now" comes from (tests pass a clock they can move). */
  readonly clock?: Clock;
  /** The database URL for the job queue and events (default: the config's). */
  readonly databaseUrl?: string;
  /** Where log lines go (default: a logger of the config's level and format). */
  readonly logger?: Logger;
}

/** Adds `extensions.sqlStatements` and `extensions.executor` (jit or graphql-js) to every response (development and tests; never in production). */
function queryStatsPlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind === 'single' && contextValue?.stats) {
            response.body.singleResult.extensions = {
              ...response.body.singleResult.extensions,
              sqlStatements: contextValue.stats.statements,
              executor: executorOf(contextValue) ?? 'graphql-js',
            };
          }
        },
      };
    },
  };
}

/** Refuses an operation whose cost, with its variables' values, exceeds the limit. */
function costLimitPlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operationName, request }) {
          const cost = operationCost(schema, document, operationName, request.variables);
          if (cost > OPERATION_LIMITS.maxCost) throw costLimitError(OPERATION_LIMITS.maxCost, cost);
        },
      };
    },
  };
}

/** Builds the HTTP + WebSocket GraphQL server on one port and path, and starts listening. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { orm, config } = options;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger({ level: config.logLevel, format: config.logFormat });
  const log = options.log ?? appLog(logger);
  const schema: GraphQLSchema = await buildAppSchema();
  const databaseUrl = options.databaseUrl ?? config.databaseUrl;
  if (!databaseUrl) throw new Error('startServer needs the database URL (for the job queue and events)');
  // Nothing is counted unless someone may read it.
  const metrics = config.metricsToken ? createMetrics(orm) : undefined;
  const runtime = await startRuntime({ orm, config, databaseUrl, clock, log, metrics });
  const failures = AuthFailureLimiter.connect({ databaseUrl, redisUrl: config.redisUrl, policy: config.authFailurePolicy });
  try {
    return await serve(options, schema, runtime, failures, metrics, logger, log);
  } catch (error) {
    await failures.stop();
    await runtime.stop();
    throw error;
  }
}

/**
 * Errors Express would answer with an HTML page and a stack trace (a malformed or oversized JSON
 * body, a broken multipart upload): a GraphQL-over-HTTP JSON error with a stable code instead, and
 * one log line.
 */
function requestErrors(log: (message: string, error?: unknown) => void): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const details = (typeof error === 'object' && error !== null ? error : {}) as { status?: unknown; statusCode?: unknown; type?: unknown; expose?: unknown; message?: unknown };
    const status = Number(details.status ?? details.statusCode ?? 500);
    if (!Number.isInteger(status) || status < 400 || status >= 500) {
      log(`Unexpected error in ${req.method} ${req.path}`, error);
      refuse(req, res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
      return;
    }
    const code = status === 413 ? 'PAYLOAD_TOO_LARGE' : status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : details.type === 'entity.parse.failed' ? 'MALFORMED_JSON' : 'BAD_REQUEST';
    const message =
      code === 'MALFORMED_JSON' ? 'The request body is not valid JSON.' : details.expose === true && typeof details.message === 'string' ? details.message.slice(0, 300) : 'The request could not be read.';
    // A client's mistake: the request's own log line (a warning, with the code) is all it gets.
    refuse(req, res, status, code, message);
  };
}

/** Multipart bodies (file uploads): at most a few per key at once, then graphql-upload streams them. */
function multipartUploads(config: AppConfig): RequestHandler {
  const perKey = limitUploadsPerKey(config.uploadsPerKey);
  const upload = graphqlUploadExpress({ maxFileSize: config.importMaxFileBytes, maxFiles: 1 });
  return (req, res, next) => {
    if (!isMultipart(req)) {
      next();
      return;
    }
    perKey(req, res, (error?: unknown) => (error ? next(error) : upload(req, res, next)));
  };
}

async function serve(
  options: ServerOptions,
  schema: GraphQLSchema,
  runtime: AppRuntime,
  failures: AuthFailureLimiter,
  metrics: AppMetrics | undefined,
  logger: Logger,
  log: (message: string, error?: unknown) => void,
): Promise<RunningServer> {
  const { orm, config } = options;
  const authenticator = new ApiKeyAuthenticator(() => orm.em.fork(), failures);
  const staff = new StaffAuthenticator(() => orm.em.fork(), failures);
  const customers = runtime.customerTokens ? new CustomerAuthenticator(runtime.customerTokens, () => orm.em.fork(), failures) : undefined;

  const app = express();
  app.disable('x-powered-by');
  app.use(requestLog(logger));
  if (metrics) app.use(httpMetrics(metrics));
  // No cap on a whole request: a 2 GB import may take longer than Node's default 5 minutes to
  // upload. Stalled clients are cut instead: by the headers timeout, and by the idle timeout on
  // any connection that moves no bytes either way.
  const httpServer = http.createServer({ requestTimeout: 0, headersTimeout: HEADERS_TIMEOUT_MS }, app);
  httpServer.setTimeout(IDLE_SOCKET_MS, (socket) => socket.destroy());
  // Same size cap as HTTP bodies (ws would accept 100 MiB messages by default).
  const wsServer = new WebSocketServer({ server: httpServer, path: GRAPHQL_PATH, maxPayload: 1024 * 1024 });
  const ws = attachGraphqlWs({ schema, wsServer, orm, authenticator, customers, staff, runtime, production: config.production, log, recheckMs: config.wsKeyRecheckMs });
  metrics?.countSockets(() => ws.stats());

  /** A GraphQL request's EntityManager: the reads each level of its execution asks for go to PostgreSQL together, as one statement. */
  const requestEm = (): EntityManager => {
    const em = orm.em.fork({ clear: true });
    combineReads(em);
    return em;
  };

  const apollo = new ApolloServer<RequestContext>({
    // Apollo parses, validates and runs its plugins either way; the gateway option only replaces the executor.
    ...(config.graphqlExecutor === 'jit' ? { gateway: jitGateway(schema) } : { schema }),
    csrfPrevention: true,
    introspection: !config.production,
    includeStacktraceInErrorResponses: !config.production,
    allowBatchedHttpRequests: false,
    hideSchemaDetailsFromClientErrors: config.production,
    // main.ts owns SIGINT/SIGTERM (drain, close the ORM, stop the embedded database); Apollo's own
    // handlers would race it and re-raise the signal.
    stopOnTerminationSignals: false,
    validationRules: operationLimitRules(),
    parseOptions: { maxTokens: OPERATION_LIMITS.maxTokens },
    formatError: formatErrorFor(config.production, (error) => log('Unexpected error while executing an operation', error)),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: SHUTDOWN_GRACE_MS }),
      // No HTTP caching of this API's responses: skip the per-field cache-hint instrumentation.
      ApolloServerPluginCacheControlDisabled(),
      costLimitPlugin(),
      customerAccessPlugin(),
      ...(metrics ? [graphqlMetricsPlugin(metrics)] : []),
      requestLogPlugin(),
      {
        async serverWillStart() {
          return {
            async drainServer() {
              await ws.dispose();
            },
          };
        },
      },
      config.production ? ApolloServerPluginLandingPageDisabled() : ApolloServerPluginLandingPageLocalDefault({ embed: true }),
      ...(config.exposeQueryStats ? [queryStatsPlugin()] : []),
    ],
  });
  await apollo.start();

  const databaseUrl = options.databaseUrl ?? config.databaseUrl ?? '';
  const readiness = new Readiness({ databaseUrl, migrationsDir: MIGRATIONS_DIR, queueRunning: () => runtime.queue.running, log });
  app.use(healthRoutes(readiness));
  if (metrics && config.metricsToken) app.use(metricsRoute(metrics, config.metricsToken));
  // Outside production, as introspection and Apollo Sandbox are.
  if (!config.production) app.use(graphiqlRoutes(GRAPHQL_PATH));
  const oauth: OAuthMount = mountOAuth(app, { orm, runtime, config, log, databaseUrl });
  app.use(importPages());
  app.use(importRoutes(runtime, authenticator, log, staff));
  app.use(smsWebhookRoutes(runtime, failures, log));
  app.use(
    GRAPHQL_PATH,
    // The key is checked before any of the body is read; a GET without one (Apollo Sandbox's page)
    // goes through, and GraphQL refuses its operations.
    authenticateRequest(authenticator, { anonymousGet: true, customers, staff }),
    // Multipart requests (GraphQL multipart request spec: file uploads); Apollo's CSRF prevention
    // refuses them without a preflight header. Files are streamed on to storage by the resolver.
    multipartUploads(config),
    express.json({ limit: '1mb' }),
    // Counting starts after the body is parsed, so the whole execution inherits the counter.
    (req, res, next) => {
      const stats: QueryStats = { statements: 0 };
      res.locals.stats = stats;
      withQueryStats(stats, next);
    },
    expressMiddleware(apollo, {
      context: async ({ res }) => {
        const customer = customerHolderOf(res);
        if (customer) return recordOperation(res, createCustomerRequestContext(customer.grant, customer.org, requestEm(), res.locals.stats as QueryStats, runtime));
        const caller = callerOf(res);
        if (!caller) throw new UnauthenticatedError();
        return recordOperation(res, createRequestContext(caller, requestEm(), res.locals.stats as QueryStats, runtime));
      },
    }),
  );
  app.use((_req, res) => {
    res.status(404).json({ errors: [{ message: `Nothing here: the API is at ${GRAPHQL_PATH}.`, extensions: { code: 'NOT_FOUND' } }] });
  });
  app.use(requestErrors(log));

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;
  try {
    await oauth.start(port);
  } catch (error) {
    httpServer.closeAllConnections();
    await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    await apollo.stop();
    await oauth.stop();
    await readiness.close();
    throw error;
  }

  let stopping: Promise<void> | undefined;
  return {
    url: `http://localhost:${port}${GRAPHQL_PATH}`,
    port,
    stop() {
      stopping ??= (async () => {
        // Not ready from now on; a load balancer gets the configured delay to notice while requests are still served.
        readiness.drain();
        if (config.shutdownDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, config.shutdownDelayMs));
        // Idle keep-alive sockets would hold the drain open; in-flight requests get the grace period.
        httpServer.closeIdleConnections();
        const force = setTimeout(() => httpServer.closeAllConnections(), SHUTDOWN_GRACE_MS + 1_000);
        try {
          await apollo.stop();
        } finally {
          clearTimeout(force);
          await oauth.stop();
          await failures.stop();
          await runtime.stop();
          await readiness.close();
        }
      })();
      return stopping;
    },
  };
}
