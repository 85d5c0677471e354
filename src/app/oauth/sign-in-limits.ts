import type pg from 'pg';
import { sidePool } from '../../core/sql/side-pool.js';
import { RateLimiterPostgres, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

/** Codes one identifier may be sent in 15 minutes, and one client address may ask for. */
export const CODES_PER_IDENTIFIER = 5;
export const CODES_PER_ADDRESS = 30;
const WINDOW_SECONDS = 15 * 60;

/**
 * How often sign-in codes may be asked for, per identifier (whoever asks) and per client address,
 * in PostgreSQL tables every API process shares (`rate_limit.oauth_otp_*`).
 */
export class SignInLimits {
  private constructor(
    private readonly perIdentifier: RateLimiterAbstract,
    private readonly perAddress: RateLimiterAbstract,
    private readonly pool: pg.Pool,
  ) {}

  static connect(databaseUrl: string): SignInLimits {
    const pool = sidePool(databaseUrl, 'loyalty-sign-in-limits');
    const common = { storeClient: pool, storeType: 'pool', schemaName: 'rate_limit', tableCreated: true, clearExpiredByTimeout: false, duration: WINDOW_SECONDS } as const;
    return new SignInLimits(
      new RateLimiterPostgres({ ...common, keyPrefix: 'otp-id', points: CODES_PER_IDENTIFIER, tableName: 'oauth_otp_identifier' }),
      new RateLimiterPostgres({ ...common, keyPrefix: 'otp-ip', points: CODES_PER_ADDRESS, tableName: 'oauth_otp_address' }),
      pool,
    );
  }

  /** Counts one code asked for; the seconds to wait when over either limit (nothing is sent then), else 0. */
  async consume(identifierKey: string, address: string): Promise<number> {
    for (const [limiter, key] of [[this.perAddress, address], [this.perIdentifier, identifierKey]] as const) {
      try {
        await limiter.consume(key);
      } catch (outcome) {
        if (outcome instanceof RateLimiterRes) return Math.max(1, Math.ceil(outcome.msBeforeNext / 1000));
        throw outcome;
      }
    }
    return 0;
  }

  stop(): Promise<void> {
    return this.pool.end();
  }
}
