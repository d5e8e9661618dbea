import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

/**
 * CPU time of whole processes from /proc (Linux): utime + stime of /proc/<pid>/stat, in clock
 * ticks. A process's ticks before and after a load run, divided by the requests it served, give its
 * CPU per request whatever threads it used (MariaDB's are many).
 */

/** utime + stime of one /proc/<pid>/stat line. The command name (field 2) may hold spaces and parentheses: fields are counted after its last ')'. */
export function ticksOfStat(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state); utime and stime are fields 14 and 15.
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error(`not a /proc/<pid>/stat line: ${stat.slice(0, 80)}`);
  return utime + stime;
}

/** Microseconds of CPU per request between two readings of a process's ticks (0 requests: null, nothing to divide). */
export function cpuMicrosPerRequest(ticksBefore: number, ticksAfter: number, requests: number, ticksPerSecond: number): number | null {
  if (requests <= 0) return null;
  return ((ticksAfter - ticksBefore) * 1_000_000) / ticksPerSecond / requests;
}

/** The resident set size in bytes from a /proc/<pid>/status text (its VmRSS line, in kB). */
export function rssOfStatus(status: string): number {
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (!match) throw new Error('no VmRSS line in /proc/<pid>/status');
  return Number(match[1]) * 1024;
}

/** Clock ticks per second of this kernel (USER_HZ, 100 almost everywhere). */
export function ticksPerSecond(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}

export function processTicks(pid: number): number {
  return ticksOfStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
}

export function processRss(pid: number): number {
  return rssOfStatus(readFileSync(`/proc/${pid}/status`, 'utf8'));
}

/** The MariaDB (or MySQL) server's pid on this machine, or null when it runs elsewhere (its CPU is then not measured). */
export function databasePid(): number | null {
  for (const name of ['mariadbd', 'mysqld']) {
    try {
      const pids = execFileSync('pidof', [name], { encoding: 'utf8' }).trim().split(/\s+/).map(Number);
      if (pids[0]) return pids[0];
    } catch {
      // pidof exits 1 when no such process runs: try the next name.
    }
  }
  return null;
}

/** A named set of processes whose CPU is read together before and after each run. */
export class CpuSampler {
  private readonly hz = ticksPerSecond();

  constructor(private readonly processes: ReadonlyMap<string, number>) {}

  /** Each live process's ticks now; one that has ended (a baseline stopped after its runs) is left out. */
  read(): Map<string, number> {
    const ticks = new Map<string, number>();
    for (const [name, pid] of this.processes) {
      if (existsSync(`/proc/${pid}/stat`)) ticks.set(name, processTicks(pid));
    }
    return ticks;
  }

  /** µs of CPU per request of each process between two readings; null for a process missing from either. */
  perRequest(before: ReadonlyMap<string, number>, after: ReadonlyMap<string, number>, requests: number): Record<string, number | null> {
    return Object.fromEntries(
      [...this.processes.keys()].map((name) => {
        const [from, to] = [before.get(name), after.get(name)];
        return [name, from === undefined || to === undefined ? null : cpuMicrosPerRequest(from, to, requests, this.hz)];
      }),
    );
  }
}
