/**
 * How busy the rest of the machine was during a measurement: CPU time of all processes (from
 * /proc/stat) minus that of the benchmark and the server under test, as a share of the machine's
 * capacity. Linux only; null elsewhere. A high share means the numbers are not trustworthy.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';

const TICKS_PER_S = 100; // USER_HZ, the unit of /proc/stat and /proc/<pid>/stat on Linux

export interface CpuSnapshot {
  at: number;
  /** Busy ticks of the whole machine. */
  machine: number;
  /** Ticks of this process and of `pid`. */
  ours: number;
}

function machineBusyTicks(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  // cpu user nice system idle iowait irq softirq steal ...
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  return (f[0] ?? 0) + (f[1] ?? 0) + (f[2] ?? 0) + (f[5] ?? 0) + (f[6] ?? 0) + (f[7] ?? 0);
}

function pidTicks(pid: number): number {
  const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // fields after the ")" that closes the command name; utime and stime are fields 14 and 15
  const rest = s.slice(s.lastIndexOf(')') + 2).split(' ');
  return Number(rest[11]) + Number(rest[12]);
}

/** CPU seconds (user + system) used so far by process `pid`, or null if unreadable. */
export function cpuSecondsOf(pid: number): number | null {
  try {
    return pidTicks(pid) / TICKS_PER_S;
  } catch {
    return null;
  }
}

export function cpuSnapshot(pid: number): CpuSnapshot | null {
  try {
    const self = process.cpuUsage();
    return { at: Date.now(), machine: machineBusyTicks(), ours: pidTicks(pid) + ((self.user + self.system) / 1e6) * TICKS_PER_S };
  } catch {
    return null;
  }
}

/** Share (0..1) of the machine's CPU capacity used by other processes between two snapshots. */
export function othersShare(a: CpuSnapshot | null, b: CpuSnapshot | null): number | null {
  if (!a || !b) return null;
  const capacity = ((b.at - a.at) / 1000) * TICKS_PER_S * os.cpus().length;
  if (capacity <= 0) return null;
  const others = b.machine - a.machine - (b.ours - a.ours);
  return Math.max(0, Math.min(1, others / capacity));
}
