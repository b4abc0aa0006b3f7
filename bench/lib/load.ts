/** Load generation with autocannon's programmatic API: a warm-up run (discarded), then the measured run. */
/// <reference path="./autocannon.d.ts" />
import autocannon, { type Result } from 'autocannon';

export interface LoadSettings {
  connections: number;
  durationS: number;
  warmupS: number;
}

export interface LoadResult {
  /** Mean requests per second over the measured run. */
  rps: number;
  /** Latency percentiles, ms. */
  p50: number;
  p99: number;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** Mean response size, bytes. */
  bytesPerReq: number;
  /** Share of the machine's CPU used by other processes meanwhile (see noise.ts). */
  othersCpu?: number | null;
  /** CPU time the server spent per request, µs (less sensitive to a busy machine than req/s). */
  serverCpuUsPerReq?: number | null;
}

function once(url: string, connections: number, duration: number, headers: Record<string, string>, paths?: string[]): Promise<Result> {
  // several paths: each connection requests them in turn, round and round
  const requests = paths?.map((path) => ({ method: 'GET', path }));
  return new Promise((resolve, reject) => {
    autocannon({ url, connections, duration, headers, pipelining: 1, timeout: 10, ...(requests ? { requests } : {}) }, (err, res) => (err ? reject(err) : resolve(res)));
  });
}

/**
 * Warm up for `warmupS`, then measure for `durationS`, against one URL on 127.0.0.1.
 * `onStart` and `onEnd` run just before and after the measured run (not the warm-up).
 */
export async function measure(url: string, s: LoadSettings, headers: Record<string, string> = {}, hooks: { onStart?: () => void; onEnd?: () => void; paths?: string[] } = {}): Promise<LoadResult> {
  if (!url.startsWith('http://127.0.0.1:')) throw new Error(`refusing to load ${url}: only 127.0.0.1 servers started by the benchmark`);
  if (s.warmupS > 0) await once(url, s.connections, s.warmupS, headers, hooks.paths);
  hooks.onStart?.();
  const r = await once(url, s.connections, s.durationS, headers, hooks.paths);
  hooks.onEnd?.();
  const total = r.requests.total as number;
  return {
    rps: Math.round(r.requests.average),
    p50: r.latency.p50,
    p99: r.latency.p99,
    requests: total,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    bytesPerReq: total ? Math.round(r.throughput.total / total) : 0,
  };
}
