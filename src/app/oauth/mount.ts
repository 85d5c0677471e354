import type { MikroORM } from '@mikro-orm/postgresql';
import type { Express, RequestHandler } from 'express';
import type { AppConfig } from '../env.js';
import type { AppRuntime } from '../server/runtime.js';
import { interactionRoutes } from './interaction-routes.js';
import { loadOAuthSecrets } from './oauth-secrets.js';
import { sweepExpiredOAuthState } from './postgres-adapter.js';
import { createOAuthProvider, OAUTH_PATH } from './provider.js';
import { SignInLimits } from './sign-in-limits.js';

/** How often each API process deletes expired authorization state and sign-in codes. */
const SWEEP_MS = 10 * 60_000;

export interface OAuthMount {
  /** Builds the authorization server for the port the server listens on, and starts answering under `/oauth`. */
  start(port: number): Promise<void>;
  stop(): Promise<void>;
}

/** The issuer: `<PUBLIC_URL>/oauth`, or the local address the server listens on. */
export function oauthIssuer(config: AppConfig, port: number): string {
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host.includes(':') ? `[${config.host}]` : config.host;
  return `${config.publicUrl ?? `http://${host}:${port}`}${OAUTH_PATH}`;
}

/**
 * Reserves `/oauth` on the app (before the API's catch-all) and builds the authorization server
 * once the port is known (tests listen on port 0): its sign-in pages first, then oidc-provider.
 * Until then `/oauth` answers 503.
 */
export function mountOAuth(app: Express, deps: { orm: MikroORM; runtime: AppRuntime; config: AppConfig; databaseUrl: string; log: (message: string, error?: unknown) => void }): OAuthMount {
  let handler: RequestHandler | undefined;
  let limits: SignInLimits | undefined;
  let sweep: NodeJS.Timeout | undefined;
  app.use(OAUTH_PATH, (req, res, next) => {
    if (handler) handler(req, res, next);
    else res.status(503).json({ error: 'temporarily_unavailable', error_description: 'The authorization server is starting.' });
  });
  return {
    async start(port) {
      const { orm, runtime, config, log } = deps;
      const issuer = oauthIssuer(config, port);
      const provider = createOAuthProvider({ issuer, secrets: await loadOAuthSecrets(orm.em.fork()), em: () => orm.em.fork(), behindProxy: issuer.startsWith('https:') });
      provider.on('server_error', (_ctx, error) => log('The authorization server failed', error));
      const signInLimits = SignInLimits.connect(deps.databaseUrl);
      limits = signInLimits;
      const pages = interactionRoutes({ provider, orm, runtime, limits: signInLimits, log });
      const protocol = provider.callback();
      handler = (req, res, next) => pages(req, res, (error?: unknown) => (error ? next(error) : protocol(req, res)));
      runtime.customerTokens.attach(provider);
      sweep = setInterval(() => void sweepExpiredOAuthState(orm.em.fork()).catch((error: unknown) => log('Sweeping expired OAuth state failed', error)), SWEEP_MS);
      sweep.unref();
    },
    async stop() {
      if (sweep) clearInterval(sweep);
      await limits?.stop();
    },
  };
}
