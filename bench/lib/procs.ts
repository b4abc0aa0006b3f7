/**
 * Child processes of the benchmark: spawned here, tracked, and always killed — on success, on
 * error, on Ctrl-C. Only processes this module spawned are ever signalled (by their own pid).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';

export interface Child {
  name: string;
  proc: ChildProcess;
  pid: number;
  /** Last lines of stdout + stderr, for error reports. */
  tail(): string;
  /** Number of output lines seen since start (logging during load shows up here). */
  lines(): number;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  isAlive(): boolean;
}

const children = new Set<Child>();

function killAllSync() {
  for (const c of children) {
    if (c.isAlive()) {
      try {
        c.proc.kill('SIGKILL');
      } catch {
        /* already gone */
      }
    }
  }
}

process.on('exit', killAllSync);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(sig, () => {
    process.stderr.write(`\nbench: ${sig} received, stopping child processes\n`);
    killAllSync();
    process.exit(130);
  });
}

/**
 * Spawn `node <args>` with the benchmark's environment plus `env` (an `undefined` value removes a
 * variable); output is captured (kept as a short tail).
 */
export function spawnNode(name: string, args: string[], env: Record<string, string | undefined>, cwd: string): Child {
  const full: NodeJS.ProcessEnv = { ...process.env };
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete full[k];
    else full[k] = v;
  }
  const proc = spawn(process.execPath, args, { cwd, env: full, stdio: ['ignore', 'pipe', 'pipe'] });
  if (proc.pid === undefined) throw new Error(`${name}: spawn failed`);
  const buf: string[] = [];
  let count = 0;
  let alive = true;
  const onData = (d: Buffer) => {
    const parts = d.toString('utf8').split('\n').filter(Boolean);
    count += parts.length;
    if (process.env.BENCH_VERBOSE) for (const l of parts) process.stderr.write(`[${name}] ${l}\n`);
    buf.push(...parts);
    if (buf.length > 40) buf.splice(0, buf.length - 40);
  };
  proc.stdout!.on('data', onData);
  proc.stderr!.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    proc.once('exit', (code, signal) => {
      alive = false;
      resolve({ code, signal });
    });
    proc.once('error', () => {
      alive = false;
      resolve({ code: null, signal: null });
    });
  });
  const child: Child = {
    name, proc, pid: proc.pid, exited,
    tail: () => buf.join('\n'),
    lines: () => count,
    isAlive: () => alive,
  };
  children.add(child);
  void exited.then(() => children.delete(child));
  return child;
}

/**
 * Stop a child: SIGTERM (the platform closes its database cleanly), SIGKILL after `graceMs`.
 * Returns true when it exited on SIGTERM.
 */
export async function stopChild(c: Child, graceMs = 15_000): Promise<boolean> {
  if (!c.isAlive()) return true;
  c.proc.kill('SIGTERM');
  const t = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), graceMs).unref());
  if ((await Promise.race([c.exited, t])) !== 'timeout') return true;
  c.proc.kill('SIGKILL');
  await c.exited;
  return false;
}

/** Stop every child still running (used in `finally`). */
export async function stopAll(): Promise<void> {
  await Promise.all([...children].map((c) => stopChild(c, 5_000)));
}

/** A free TCP port on 127.0.0.1 (the OS picks; closed again before use). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** One GET to 127.0.0.1; resolves with the status and body, or status 0 on a connection error. */
export function get(port: number, path: string, headers: Record<string, string> = {}, timeoutMs = 2_000): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path, headers, agent: false, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', () => resolve({ status: 0, body: '' }));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve({ status: 0, body: '' }));
  });
}

/**
 * Poll `GET path` every `everyMs` until it answers 200. Rejects if the child exits first or after
 * `timeoutMs`. Resolves with the body of the first 200.
 */
export async function waitFor200(c: Child, port: number, path: string, opts: { timeoutMs?: number; everyMs?: number; headers?: Record<string, string> } = {}): Promise<string> {
  const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
  let last = 'no answer (connection refused or timed out)';
  while (Date.now() < deadline) {
    if (!c.isAlive()) throw new Error(`${c.name} exited before ${path} answered 200:\n${c.tail()}`);
    const r = await get(port, path, opts.headers);
    if (r.status === 200) return r.body;
    if (r.status !== 0) last = `last answer ${r.status}: ${r.body.slice(0, 300)}`;
    await new Promise((r2) => setTimeout(r2, opts.everyMs ?? 25));
  }
  throw new Error(`${c.name} (pid ${c.pid}, port ${port}): ${path} did not answer 200 within ${(opts.timeoutMs ?? 120_000) / 1000} s; ${last}\n${c.tail()}`);
}

/** Resident set size and its peak, in MB, from /proc/<pid>/status (Linux). */
export function memoryOf(pid: number): { rssMb: number | null; peakMb: number | null } {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => {
      const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(s);
      return m ? Math.round(Number(m[1]) / 1024) : null;
    };
    return { rssMb: kb('VmRSS'), peakMb: kb('VmHWM') };
  } catch {
    return { rssMb: null, peakMb: null };
  }
}
