// CPU time per part of the system during a phase, from /proc (Linux): the gateway, the
// connector, the replicas of each function (children of the gateway, named by their
// CDNFAAS_FUNCTION), Kafka and InfluxDB (found by their listening port), the benchmark itself,
// and the whole machine (other work on it competes for the same two cores).
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

const ticksPerSecond = 100;

export interface CpuShare {
  part: string;
  /** Cores used on average: 1.0 = one core fully busy. */
  cores: number;
}

/** utime + stime of a process in clock ticks, or undefined when it is gone. */
export function processTicks(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return undefined;
  }
}

function machineTicks(): { busy: number; total: number } {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const idle = cpu[3]! + cpu[4]!;
  const total = cpu.slice(0, 8).reduce((sum, value) => sum + value, 0);
  return { busy: total - idle, total };
}

/** The pid listening on a TCP port of this machine, or undefined. */
export function pidListeningOn(port: number): number | undefined {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const columns = line.trim().split(/\s+/);
      if (columns.length < 10 || columns[3] !== '0A') continue;
      if (parseInt(columns[1]!.split(':')[1]!, 16) === port) inodes.add(columns[9]!);
    }
  }
  if (inodes.size === 0) return undefined;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const link = readlinkSync(`/proc/${entry}/fd/${fd}`);
        if (link.startsWith('socket:[') && inodes.has(link.slice(8, -1))) return Number(entry);
      } catch {
        // closed meanwhile
      }
    }
  }
  return undefined;
}

/** Children of a process with the function they serve (replicas of the gateway). */
function replicasOf(parent: number): { pid: number; fn: string }[] {
  const out: { pid: number; fn: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) !== parent) continue;
      const fn = readFileSync(`/proc/${entry}/environ`, 'utf8')
        .split('\0')
        .find((pair) => pair.startsWith('CDNFAAS_FUNCTION='));
      out.push({ pid: Number(entry), fn: fn?.slice('CDNFAAS_FUNCTION='.length) ?? 'other child' });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

export interface CpuSampler {
  /** Looks for new replicas and adds the time every known process used since the last sample. */
  sample(): void;
  /** Average cores used per part since start, largest first; `machine` is everything on it. */
  finish(): CpuShare[];
}

/**
 * Follows fixed processes (by name) and the gateway's replicas; `nameOf` turns a replica's
 * function name into the part it counts for (e.g. without the run suffix).
 */
export function startCpuSampler(
  fixed: Record<string, number | undefined>,
  gatewayPid: number | undefined,
  nameOf: (fn: string) => string,
): CpuSampler {
  const last = new Map<number, { part: string; ticks: number }>();
  const used = new Map<string, number>();
  const started = performance.now();
  const machineStart = machineTicks();
  const follow = (pid: number, part: string) => {
    if (last.has(pid)) return;
    const ticks = processTicks(pid);
    if (ticks !== undefined) last.set(pid, { part, ticks });
  };
  const discover = () => {
    for (const [part, pid] of Object.entries(fixed)) if (pid !== undefined) follow(pid, part);
    if (gatewayPid !== undefined)
      for (const replica of replicasOf(gatewayPid)) follow(replica.pid, `${nameOf(replica.fn)} replicas`);
  };
  const sample = () => {
    for (const [pid, entry] of last) {
      const ticks = processTicks(pid);
      if (ticks === undefined) {
        last.delete(pid);
        continue;
      }
      used.set(entry.part, (used.get(entry.part) ?? 0) + ticks - entry.ticks);
      entry.ticks = ticks;
    }
    discover();
  };
  discover();
  return {
    sample,
    finish() {
      sample();
      const seconds = (performance.now() - started) / 1000;
      const machineEnd = machineTicks();
      const machineCores =
        ((machineEnd.busy - machineStart.busy) / (machineEnd.total - machineStart.total)) *
        (readFileSync('/proc/cpuinfo', 'utf8').match(/^processor/gm)?.length ?? 1);
      const shares = [...used].map(([part, ticks]) => ({ part, cores: ticks / ticksPerSecond / seconds }));
      shares.sort((a, b) => b.cores - a.cores);
      return [...shares, { part: 'machine (everything)', cores: machineCores }];
    },
  };
}
