/**
 * Runtime fault injection shared by both emulators. Settings apply to API routes (not to the OAuth
 * consent page); each emulator decides what a "rate-limit storm" or a "server error" looks like on the
 * wire (HubSpot: 429 with `policyName`; Salesforce: 403 `REQUEST_LIMIT_EXCEEDED`, 500/503 bodies).
 */
import { type Rng } from './random';

export interface StormOptions {
  /**
   * HubSpot only: which limit the 429s claim to come from. `TEN_SECONDLY_ROLLING` (default) makes
   * `@hubspot/api-client` wait 10 s × attempt before retrying; `SECONDLY` (the search limit) 1 s × attempt.
   */
  policy?: 'TEN_SECONDLY_ROLLING' | 'SECONDLY' | 'DAILY';
  /**
   * Sends `Retry-After: <seconds>` with each rate-limited answer. Off by default: neither CRM documents the
   * header on these answers, so clients must not depend on it; tests use it to prove a client honours it.
   */
  retryAfterSeconds?: number;
}

export interface FaultHooks {
  /** Marks every issued access token as expired; returns how many were affected. */
  expireAccessTokens(): number;
  /** Revokes every issued refresh token (and their access tokens); returns how many. */
  revokeRefreshTokens(): number;
}

export interface FaultState {
  latencyMs: number;
  jitterMs: number;
  errorRate: number;
  errorStatus: number;
  stormRemaining: number;
  stormPolicy: NonNullable<StormOptions['policy']>;
  /** `Retry-After` seconds sent with storm answers and injected 503s (none when undefined). */
  retryAfterSeconds: number | undefined;
  /** Requests answered with a 5xx because of `errorRate` or `failNext`. */
  injectedErrors: number;
  /** Requests answered by a storm. */
  injectedRateLimits: number;
}

export class Faults {
  private state: FaultState = Faults.initial();
  private failNextRemaining = 0;
  private failNextStatus = 500;
  private readonly match: { re?: RegExp } = {};

  constructor(
    private readonly rng: Rng,
    private readonly hooks: FaultHooks,
  ) {}

  private static initial(): FaultState {
    return {
      latencyMs: 0,
      jitterMs: 0,
      errorRate: 0,
      errorStatus: 500,
      stormRemaining: 0,
      stormPolicy: 'TEN_SECONDLY_ROLLING',
      retryAfterSeconds: undefined,
      injectedErrors: 0,
      injectedRateLimits: 0,
    };
  }

  /** Adds `ms` (plus up to `jitterMs`, drawn from the seeded generator) before every API response. */
  setLatency(ms: number, jitterMs = 0): this {
    this.state.latencyMs = ms;
    this.state.jitterMs = jitterMs;
    return this;
  }

  /**
   * Answers a fraction of API requests (seeded draw) with a 5xx error; a 503 carries `Retry-After` when
   * `retryAfterSeconds` is given.
   */
  setErrorRate(rate: number, status = 500, options: { retryAfterSeconds?: number } = {}): this {
    if (rate < 0 || rate > 1) throw new RangeError('error rate must be within [0, 1]');
    this.state.errorRate = rate;
    this.state.errorStatus = status;
    this.state.retryAfterSeconds = options.retryAfterSeconds;
    return this;
  }

  /** Answers the next `n` API requests with a 5xx error. */
  failNext(n: number, status = 500): this {
    this.failNextRemaining = n;
    this.failNextStatus = status;
    return this;
  }

  /** The next `requests` API requests are rejected as rate-limited. */
  rateLimitStorm(requests: number, options: StormOptions = {}): this {
    this.state.stormRemaining = requests;
    this.state.stormPolicy = options.policy ?? 'TEN_SECONDLY_ROLLING';
    this.state.retryAfterSeconds = options.retryAfterSeconds;
    return this;
  }

  /** Restricts latency/5xx/storm faults to paths matching `re` (default: every API path). */
  onlyFor(re: RegExp | undefined): this {
    this.match.re = re;
    return this;
  }

  /** Expires every access token issued so far: the next call with one gets the emulator's 401. */
  expireAccessTokens(): number {
    return this.hooks.expireAccessTokens();
  }

  /** Revokes every refresh token issued so far: refreshing fails like the real token endpoint does. */
  revokeRefreshTokens(): number {
    return this.hooks.revokeRefreshTokens();
  }

  /** Clears latency, error rate, storms and path restriction (token state is left as is). */
  reset(): this {
    const { injectedErrors, injectedRateLimits } = this.state;
    this.state = { ...Faults.initial(), injectedErrors, injectedRateLimits };
    this.failNextRemaining = 0;
    this.match.re = undefined;
    return this;
  }

  get current(): Readonly<FaultState> {
    return { ...this.state };
  }

  // ---- used by the emulators' request pipeline ----

  /** @internal */
  applies(path: string): boolean {
    return this.match.re === undefined || this.match.re.test(path);
  }

  /** @internal Milliseconds to wait before answering. */
  drawLatency(): number {
    if (this.state.latencyMs <= 0 && this.state.jitterMs <= 0) return 0;
    return this.state.latencyMs + (this.state.jitterMs > 0 ? this.rng.next() * this.state.jitterMs : 0);
  }

  /** @internal Consumes one storm slot, returning the policy when this request is to be rate-limited. */
  takeStorm(): FaultState['stormPolicy'] | undefined {
    if (this.state.stormRemaining <= 0) return undefined;
    this.state.stormRemaining--;
    this.state.injectedRateLimits++;
    return this.state.stormPolicy;
  }

  /** @internal The `Retry-After` header to send with an injected rate limit or 503, if any. */
  retryAfterHeader(): Record<string, string> {
    const s = this.state.retryAfterSeconds;
    return s === undefined ? {} : { 'Retry-After': String(s) };
  }

  /** @internal Returns a 5xx status when this request is to fail. */
  drawServerError(): number | undefined {
    if (this.failNextRemaining > 0) {
      this.failNextRemaining--;
      this.state.injectedErrors++;
      return this.failNextStatus;
    }
    if (this.state.errorRate > 0 && this.rng.next() < this.state.errorRate) {
      this.state.injectedErrors++;
      return this.state.errorStatus;
    }
    return undefined;
  }
}
