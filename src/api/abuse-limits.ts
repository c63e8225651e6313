import pg from 'pg';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import type { AbuseLimitsConfig } from '../config/index.js';
import type { Db } from '../eventstore/index.js';
import type { Principal } from './auth.js';
import { judgeError } from './errors.js';

const ACTIVE = ['QUEUED', 'COMPILING', 'RUNNING'];

/**
 * The seed's rate limiter, made for many replicas: fixed-window counters in Postgres (via
 * rate-limiter-flexible), so every api process draws on the same budget.
 */
export class AbuseLimits {
  private readonly pool: pg.Pool;
  private readonly perKey: RateLimiterPostgres;
  private readonly global: RateLimiterPostgres;
  private readonly perIp: RateLimiterPostgres;

  constructor(
    databaseUrl: string,
    private readonly config: AbuseLimitsConfig,
  ) {
    this.pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
    this.pool.on('error', () => {});
    const store = { storeClient: this.pool, storeType: 'pool', tableName: 'rate_limits', tableCreated: true, duration: 60 };
    this.perKey = new RateLimiterPostgres({ ...store, keyPrefix: 'submit-key', points: config.submitPerKeyPerMinute });
    this.global = new RateLimiterPostgres({ ...store, keyPrefix: 'submit-all', points: config.submitGlobalPerMinute });
    this.perIp = new RateLimiterPostgres({ ...store, keyPrefix: 'unauth-ip', points: config.unauthenticatedPerIpPerMinute });
  }

  private static async take(limiter: RateLimiterPostgres, key: string, what: string): Promise<void> {
    try {
      await limiter.consume(key);
    } catch (e) {
      if (!(e instanceof RateLimiterRes)) throw e;
      throw judgeError('RATE_LIMITED', `${what}; retry in ${Math.ceil(e.msBeforeNext / 1000)} s`, { retryAfterMs: e.msBeforeNext });
    }
  }

  /** Before appending a submission: per key, for everyone, and the tenant's queue cap. */
  async admitSubmission(db: Db, principal: Principal): Promise<void> {
    const { count } = await db
      .selectFrom('submissions')
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .where('tenant', '=', principal.tenant)
      .where('status', 'in', ACTIVE)
      .executeTakeFirstOrThrow();
    if (Number(count) >= this.config.maxActivePerTenant) {
      throw judgeError('RATE_LIMITED', `tenant ${principal.tenant} has ${count} submissions queued or running (at most ${this.config.maxActivePerTenant})`, {
        retryAfterMs: 1000,
      });
    }
    await AbuseLimits.take(this.perKey, principal.keyId ?? 'admin-token', `too many submissions for this key (${this.config.submitPerKeyPerMinute}/min)`);
    await AbuseLimits.take(this.global, 'all', `the judge takes at most ${this.config.submitGlobalPerMinute} submissions/min`);
  }

  /** A request that failed to authenticate spends its IP's budget; past it, RATE_LIMITED. */
  async failedAuthentication(ip: string): Promise<void> {
    await AbuseLimits.take(this.perIp, ip, `too many unauthenticated requests from ${ip}`);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
