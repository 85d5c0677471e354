import { Redis } from 'ioredis';
import { sidePool } from '../../core/sql/side-pool.js';
import { RateLimiterPostgres, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

/** How many failed authentications one client address may make before it is refused for a while. */
export interface AuthFailurePolicy {
  /** Failures allowed within `windowSeconds`. */
  readonly failures: number;
  readonly windowSeconds: number;
  /** How long a client that went over is refused. */
  readonly blockSeconds: number;
}

/**
 * Counts failed authentications per client address in a store every API process shares
 * (PostgreSQL's `auth_failure` table, or Redis with REDIS_URL), so a client cannot spread its
 * attempts across processes.
 */
export class AuthFailureLimiter {
  private constructor(
    private readonly limiter: RateLimiterAbstract,
    private readonly close: () => Promise<void>,
  ) {}

  static connect(options: { readonly databaseUrl: string; readonly redisUrl: string | undefined; readonly policy: AuthFailurePolicy }): AuthFailureLimiter {
    const common = { keyPrefix: 'auth-failure', points: options.policy.failures, duration: options.policy.windowSeconds, blockDuration: options.policy.blockSeconds };
    if (options.redisUrl) {
      const redis = new Redis(options.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
      return new AuthFailureLimiter(new RateLimiterRedis({ ...common, storeClient: redis }), async () => {
        redis.disconnect();
      });
    }
    const pool = sidePool(options.databaseUrl, 'loyalty-auth-failures');
    // The table comes with the migrations; the limiter must not create it on the fly.
    const limiter = new RateLimiterPostgres({ ...common, storeClient: pool, storeType: 'pool', schemaName: 'rate_limit', tableName: 'auth_failure', tableCreated: true, clearExpiredByTimeout: false });
    return new AuthFailureLimiter(limiter, () => pool.end());
  }

  /** Seconds the client must still wait, or 0 when it may try. */
  async retryAfterSeconds(client: string): Promise<number> {
    const state = await this.limiter.get(client);
    if (!state || state.consumedPoints <= this.limiter.points) return 0;
    return Math.max(1, Math.ceil(state.msBeforeNext / 1000));
  }

  /** Counts one failure; returns the seconds the client is now refused for, or 0. */
  async recordFailure(client: string): Promise<number> {
    try {
      await this.limiter.consume(client);
      return 0;
    } catch (outcome) {
      if (outcome instanceof RateLimiterRes) return Math.max(1, Math.ceil(outcome.msBeforeNext / 1000));
      throw outcome;
    }
  }

  stop(): Promise<void> {
    return this.close();
  }
}
