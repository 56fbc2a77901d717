import { readFile, stat, statfs } from 'node:fs/promises';
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import {
  diskFromStatfs,
  parseMeminfo,
  parseNetDev,
  totalCpuTimes,
  type DiskReading,
} from '../reducers/host.ts';
import type { HostReading } from './types.ts';

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** The first path of each file system: several folders on one disk show it once. */
function onePerDevice(disks: ((DiskReading & { device: number }) | undefined)[]): DiskReading[] {
  const seen = new Set<number>();
  return disks.flatMap((disk) => {
    if (disk === undefined || seen.has(disk.device)) return [];
    seen.add(disk.device);
    return [{ path: disk.path, totalBytes: disk.totalBytes, freeBytes: disk.freeBytes }];
  });
}

/**
 * CPU, memory, disks and network of this machine: node:os everywhere, /proc where it exists
 * (Linux), so memory is MemAvailable there and the network panel is off elsewhere.
 * `diskPaths` are the folders whose file systems matter (the cdnfaas home, the data dirs).
 */
export function hostSource(diskPaths: string[]): () => Promise<HostReading> {
  return async () => {
    const [meminfo, netdev, disks] = await Promise.all([
      readOptional('/proc/meminfo'),
      readOptional('/proc/net/dev'),
      Promise.all(
        [...new Set(diskPaths)].map(async (path): Promise<(DiskReading & { device: number }) | undefined> => {
          try {
            const [info, device] = await Promise.all([statfs(path), stat(path)]);
            return { ...diskFromStatfs(path, info), device: device.dev };
          } catch {
            return undefined; // a folder not created yet has no disk to show
          }
        }),
      ),
    ]);
    const cores = cpus();
    return {
      cpu: totalCpuTimes(cores),
      cores: cores.length,
      memory: (meminfo ? parseMeminfo(meminfo) : undefined) ?? {
        totalBytes: totalmem(),
        availableBytes: freemem(),
      },
      ...(netdev === undefined ? {} : { network: parseNetDev(netdev) }),
      disks: onePerDevice(disks),
      loadAverage: loadavg(),
    };
  };
}
