import { createHash } from 'node:crypto';
import type { KeyValueStore } from '@smile/sdk';
import type { Settings } from './settings.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** Failures older than this no longer count towards a lockout. */
const FAILURE_WINDOW = 60 * MINUTE;

/** What a failed attempt led to. */
export interface FailureOutcome {
  /** Set when this failure locked the address: until when, and for how many minutes. */
  locked: { until: Date; minutes: number } | null;
  /** `true` when this failure made the IP address reach its limit. */
  ipLimitReached: boolean;
}

/**
 * Failure counting, lockouts and the per-IP limit, in the shared key-value store (Redis when
 * configured, so every process sees the same counters). Keys are per institution and per email
 * address, known or not: an unknown address is "locked" exactly like a real one, so a lockout
 * message never tells whether an account exists.
 */
export class Throttle {
  constructor(private kv: KeyValueStore, private settings: Settings, private institutionId: number) {}

  private key(kind: string, value: string): string {
    const h = createHash('sha256').update(value).digest('hex').slice(0, 32);
    return `auth-local:${this.institutionId}:${kind}:${h}`;
  }

  /** Until when `email` is locked, or null. */
  async lockedUntil(email: string): Promise<Date | null> {
    const v = await this.kv.get(this.key('lock', email));
    const until = v === null ? NaN : Number(v);
    return Number.isFinite(until) && until > Date.now() ? new Date(until) : null;
  }

  /** Has `ip` used up its failed attempts for the current window? */
  async ipBlocked(ip: string): Promise<boolean> {
    const v = await this.kv.get(this.key('ip', ip));
    return v !== null && Number(v) >= this.settings.ipMaxFailures;
  }

  /** Count a refused attempt against `ip` only (an attempt on a locked address); `true` when this one reached the limit. */
  async ipFailure(ip: string): Promise<boolean> {
    return (await this.kv.increment(this.key('ip', ip), this.settings.ipWindowMinutes * MINUTE)) === this.settings.ipMaxFailures;
  }

  /** Count a failed attempt (wrong password or code, unknown address) for `email` and `ip`. */
  async failure(email: string, ip: string): Promise<FailureOutcome> {
    const ipLimitReached = await this.ipFailure(ip);
    const n = await this.kv.increment(this.key('fail', email), FAILURE_WINDOW);
    // exactly at the threshold: with concurrent failures only one of them locks
    if (n !== this.settings.maxFailures) return { locked: null, ipLimitReached };
    const lockouts = await this.kv.increment(this.key('lockouts', email), DAY);
    const minutes = Math.min(this.settings.maxLockMinutes, this.settings.lockMinutes * 2 ** Math.min(lockouts - 1, 20));
    const until = new Date(Date.now() + minutes * MINUTE);
    await this.kv.set(this.key('lock', email), String(until.getTime()), minutes * MINUTE);
    await this.kv.delete(this.key('fail', email));
    return { locked: { until, minutes }, ipLimitReached };
  }

  /** A successful sign-in: forget the failures and past lockouts of `email`. */
  async success(email: string): Promise<void> {
    await this.kv.delete(this.key('fail', email));
    await this.kv.delete(this.key('lockouts', email));
  }

  /** A manager unlocks an account. */
  async unlock(email: string): Promise<void> {
    await this.kv.delete(this.key('lock', email));
    await this.kv.delete(this.key('fail', email));
    await this.kv.delete(this.key('lockouts', email));
  }

  /**
   * May one more reset mail go to `email` this hour? Counted whether or not the address has an
   * account, so that the answer stays the same.
   */
  async resetMailAllowed(email: string): Promise<boolean> {
    return (await this.kv.increment(this.key('reset', email), 60 * MINUTE)) <= this.settings.resetMailsPerHour;
  }
}
