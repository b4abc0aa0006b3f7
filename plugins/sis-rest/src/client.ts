/**
 * The HTTP side: GET a JSON page with the auth header, a timeout, retries with exponential backoff
 * (honouring Retry-After) on network errors, timeouts, 5xx and 429, and a requests-per-second
 * limit. The auth header goes only to the API's own origin and never into a log or a message.
 * @packageDocumentation
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from '@smile/sdk';

/** Time, injectable so the spacing and backoff logic can be tested without waiting. */
export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) => delay(ms, undefined, { signal }),
};

/** Spaces request starts at least `1000 / requestsPerSecond` ms apart (0: no limit). */
export class RateLimiter {
  private next = -Infinity;

  constructor(private readonly requestsPerSecond: number, private readonly clock: Clock = realClock) {}

  /** Wait for the next free slot. Slots are handed out in call order, also to concurrent callers. */
  async acquire(signal?: AbortSignal): Promise<void> {
    if (!(this.requestsPerSecond > 0)) return;
    const interval = 1000 / this.requestsPerSecond;
    const now = this.clock.now();
    const at = Math.max(now, this.next);
    this.next = at + interval;
    if (at > now) await this.clock.sleep(at - now, signal);
  }
}

/** Why a request failed for good; `status` when the API answered. Its message never holds a header value. */
export class RestError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly retryable = false,
    /** Wait the API asked for (Retry-After), in ms. */
    readonly retryAfter: number | null = null,
  ) {
    super(message);
  }
}

export interface ClientOptions {
  baseUrl: string;
  authHeader: { name: string; value: string } | null;
  headers?: Record<string, string>;
  timeoutMs: number;
  maxRetries: number;
  retryDelayMs: number;
  requestsPerSecond: number;
  signal?: AbortSignal;
  log?: Logger;
  clock?: Clock;
}

/** A page as read. */
export interface Fetched {
  body: unknown;
  url: URL;
  headers: Headers;
}

const MAX_BACKOFF_MS = 60_000;
const MAX_RETRY_AFTER_MS = 300_000;
const MAX_REDIRECTS = 5;

/** The URL as it may appear in logs and messages: without user and password. */
export function safeUrl(url: URL | string): string {
  const u = new URL(String(url));
  u.username = '';
  u.password = '';
  return u.toString();
}

/** Milliseconds asked by a Retry-After header (seconds or an HTTP date), or null. */
export function retryAfterMs(value: string | null, now: number): number | null {
  if (!value) return null;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

export class RestClient {
  readonly origin: string;
  private readonly limiter: RateLimiter;
  private readonly clock: Clock;

  constructor(private readonly opts: ClientOptions) {
    this.origin = new URL(opts.baseUrl).origin;
    this.clock = opts.clock ?? realClock;
    this.limiter = new RateLimiter(opts.requestsPerSecond, this.clock);
  }

  /** `path` (with its query) under the base URL. */
  url(path: string): URL {
    if (/^https?:\/\//i.test(path)) return new URL(path);
    const base = this.opts.baseUrl.replace(/\/+$/, '');
    return new URL(base + (path.startsWith('/') ? path : `/${path}`));
  }

  /** Refuse to send the credentials anywhere but the API. */
  private checkOrigin(url: URL) {
    if (url.origin !== this.origin) {
      throw new RestError(`refused to follow ${safeUrl(url)}: it is not on ${this.origin}, and the auth header must not leave it`);
    }
  }

  /** An API may echo the credentials in an error page: never let them into a message. */
  private redact(text: string): string {
    const value = this.opts.authHeader?.value;
    if (!value) return text;
    let out = text.split(value).join('[redacted]');
    for (const part of value.split(/\s+/)) if (part.length >= 6) out = out.split(part).join('[redacted]');
    return out;
  }

  private headers(): Record<string, string> {
    const h: Record<string, string> = { accept: 'application/json', ...this.opts.headers };
    if (this.opts.authHeader) h[this.opts.authHeader.name] = this.opts.authHeader.value;
    return h;
  }

  /** GET `url` and parse its JSON, with retries. Throws {@link RestError} once retries are spent. */
  async getJson(url: URL): Promise<Fetched> {
    this.checkOrigin(url);
    const attempts = this.opts.maxRetries + 1;
    let last: RestError | undefined;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      this.opts.signal?.throwIfAborted();
      let wait: number | null = null;
      try {
        return await this.once(url);
      } catch (e) {
        if (this.opts.signal?.aborted) throw this.opts.signal.reason ?? e;
        if (!(e instanceof RestError) || !e.retryable) throw e;
        last = e;
        wait = e.retryAfter;
      }
      if (attempt === attempts) break;
      const backoff = wait ?? Math.min(MAX_BACKOFF_MS, this.opts.retryDelayMs * 2 ** (attempt - 1));
      this.opts.log?.warn({ url: safeUrl(url), attempt, status: last.status ?? null, waitMs: backoff, err: last.message }, 'catalogue API request failed: retrying');
      await this.clock.sleep(Math.min(backoff, MAX_RETRY_AFTER_MS), this.opts.signal);
    }
    throw new RestError(`${last!.message} (gave up after ${attempts} attempt${attempts > 1 ? 's' : ''})`, last!.status);
  }

  private async once(start: URL): Promise<Fetched> {
    let url = start;
    for (let hop = 0; ; hop++) {
      await this.limiter.acquire(this.opts.signal);
      const timeout = AbortSignal.timeout(this.opts.timeoutMs);
      const signal = this.opts.signal ? AbortSignal.any([this.opts.signal, timeout]) : timeout;
      let res: Response;
      try {
        // redirects by hand: fetch would carry a custom auth header to another site
        res = await fetch(url, { headers: this.headers(), signal, redirect: 'manual' });
      } catch (e) {
        if (this.opts.signal?.aborted) throw e;
        const reason = timeout.aborted ? `no answer within ${this.opts.timeoutMs} ms` : `network error: ${(e as Error & { cause?: Error }).cause?.message ?? (e as Error).message}`;
        throw new RestError(`GET ${safeUrl(url)}: ${reason}`, undefined, true);
      }
      this.opts.log?.debug({ url: safeUrl(url), status: res.status }, 'catalogue API request');
      if (res.status >= 300 && res.status < 400 && res.headers.get('location')) {
        await res.body?.cancel();
        if (hop >= MAX_REDIRECTS) throw new RestError(`GET ${safeUrl(start)}: more than ${MAX_REDIRECTS} redirects`, res.status);
        url = new URL(res.headers.get('location')!, url);
        this.checkOrigin(url);
        continue;
      }
      if (!res.ok) {
        const text = await res.text().catch(() => '');
        const retryable = res.status === 429 || res.status >= 500;
        const hint = res.status === 401 || res.status === 403 ? ': check the auth header (name and value) in the settings' : res.status === 404 ? ': check the endpoint path and the institution code' : '';
        const detail = text && !retryable ? ` — ${this.redact(text.replace(/\s+/g, ' ').slice(0, 200))}` : '';
        const after = res.status === 429 || res.status === 503 ? retryAfterMs(res.headers.get('retry-after'), this.clock.now()) : null;
        throw new RestError(`GET ${safeUrl(url)} answered ${res.status} ${res.statusText}${hint}${detail}`, res.status, retryable, after);
      }
      const text = await res.text();
      try {
        return { body: JSON.parse(text), url, headers: res.headers };
      } catch {
        const type = res.headers.get('content-type') ?? 'no content type';
        throw new RestError(`GET ${safeUrl(url)} did not answer JSON (${type}): ${this.redact(text.replace(/\s+/g, ' ').slice(0, 120))}`, res.status);
      }
    }
  }
}
