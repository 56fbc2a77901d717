/** Cumulative CPU time of the whole machine, in any unit (os.cpus() gives ms). */
export interface CpuTimes {
  busy: number;
  idle: number;
}

/** Sums os.cpus() per-core times into busy and idle (iowait is not reported there; it counts as idle). */
export function totalCpuTimes(
  cpus: { times: { user: number; nice: number; sys: number; idle: number; irq: number } }[],
): CpuTimes {
  let busy = 0;
  let idle = 0;
  for (const { times } of cpus) {
    busy += times.user + times.nice + times.sys + times.irq;
    idle += times.idle;
  }
  return { busy, idle };
}

/** CPU use in percent of all cores between two readings; null before there are two. */
export function cpuPercent(previous: CpuTimes | undefined, current: CpuTimes): number | null {
  if (!previous) return null;
  const busy = current.busy - previous.busy;
  const total = busy + current.idle - previous.idle;
  return total > 0 ? Math.min(100, Math.max(0, (100 * busy) / total)) : null;
}

export interface MemoryReading {
  totalBytes: number;
  /** Memory that programs can still get without swapping (MemAvailable on Linux, free memory elsewhere). */
  availableBytes: number;
}

/** Reads MemTotal and MemAvailable (kB) from /proc/meminfo text; undefined if either is missing. */
export function parseMeminfo(text: string): MemoryReading | undefined {
  const value = (key: string) => {
    const match = new RegExp(`^${key}:\\s+(\\d+)\\s*kB`, 'm').exec(text);
    return match ? Number(match[1]) * 1024 : undefined;
  };
  const totalBytes = value('MemTotal');
  const availableBytes = value('MemAvailable');
  return totalBytes === undefined || availableBytes === undefined
    ? undefined
    : { totalBytes, availableBytes };
}

export interface NetworkCounters {
  rxBytes: number;
  txBytes: number;
}

/** Sums received and sent bytes over all interfaces but loopback from /proc/net/dev text. */
export function parseNetDev(text: string): NetworkCounters {
  let rxBytes = 0;
  let txBytes = 0;
  for (const line of text.split('\n')) {
    const match = /^\s*([^:\s]+):\s*(.*)$/.exec(line);
    if (!match || match[1] === 'lo') continue;
    const fields = match[2]!.trim().split(/\s+/).map(Number);
    // Columns: rx bytes packets errs drop fifo frame compressed multicast, then tx bytes ...
    if (fields.length < 9 || fields.some(Number.isNaN)) continue;
    rxBytes += fields[0]!;
    txBytes += fields[8]!;
  }
  return { rxBytes, txBytes };
}

/** Bytes per second received and sent between two readings; null before there are two. */
export function networkRates(
  previous: NetworkCounters | undefined,
  current: NetworkCounters,
  seconds: number,
): { rxPerSecond: number; txPerSecond: number } | null {
  if (!previous || !(seconds > 0)) return null;
  return {
    rxPerSecond: Math.max(0, current.rxBytes - previous.rxBytes) / seconds,
    txPerSecond: Math.max(0, current.txBytes - previous.txBytes) / seconds,
  };
}

export interface DiskReading {
  path: string;
  totalBytes: number;
  freeBytes: number;
}

/** Disk size and free space from fs.statfs() output (block counts times block size). */
export function diskFromStatfs(
  path: string,
  stats: { bsize: number; blocks: number; bavail: number },
): DiskReading {
  return { path, totalBytes: stats.bsize * stats.blocks, freeBytes: stats.bsize * stats.bavail };
}
