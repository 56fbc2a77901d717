import { describe, expect, it } from 'vitest';
import {
  cpuPercent,
  diskFromStatfs,
  networkRates,
  parseMeminfo,
  parseNetDev,
  totalCpuTimes,
} from './host.ts';

describe('cpu', () => {
  it('sums cores and computes percent busy between readings', () => {
    const times = (user: number, idle: number) => ({ times: { user, nice: 0, sys: 0, idle, irq: 0 } });
    const before = totalCpuTimes([times(100, 900), times(200, 800)]);
    const after = totalCpuTimes([times(150, 950), times(300, 800)]);
    expect(before).toEqual({ busy: 300, idle: 1700 });
    expect(cpuPercent(before, after)).toBeCloseTo(75);
    expect(cpuPercent(undefined, after)).toBeNull();
    expect(cpuPercent(after, after)).toBeNull();
  });
});

describe('parseMeminfo', () => {
  it('reads MemTotal and MemAvailable in bytes', () => {
    const text = 'MemTotal:       24576000 kB\nMemFree:         1000 kB\nMemAvailable:   12288000 kB\n';
    expect(parseMeminfo(text)).toEqual({ totalBytes: 24576000 * 1024, availableBytes: 12288000 * 1024 });
    expect(parseMeminfo('MemTotal: 1 kB\n')).toBeUndefined();
  });
});

describe('network', () => {
  const procNetDev = `Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo: 5000000    100    0    0    0     0          0         0  5000000     100    0    0    0     0       0          0
  eth0: 1000       10    0    0    0     0          0         0     2000      20    0    0    0     0       0          0
  eth1:  500        5    0    0    0     0          0         0      700       7    0    0    0     0       0          0`;

  it('sums every interface but loopback', () => {
    expect(parseNetDev(procNetDev)).toEqual({ rxBytes: 1500, txBytes: 2700 });
  });

  it('turns two readings into bytes per second and never goes negative', () => {
    expect(networkRates({ rxBytes: 1000, txBytes: 0 }, { rxBytes: 3000, txBytes: 500 }, 2)).toEqual({
      rxPerSecond: 1000,
      txPerSecond: 250,
    });
    expect(networkRates({ rxBytes: 9000, txBytes: 0 }, { rxBytes: 10, txBytes: 0 }, 2)?.rxPerSecond).toBe(0);
    expect(networkRates(undefined, { rxBytes: 1, txBytes: 1 }, 2)).toBeNull();
  });
});

describe('diskFromStatfs', () => {
  it('multiplies blocks by the block size', () => {
    expect(diskFromStatfs('/', { bsize: 4096, blocks: 1000, bavail: 250 })).toEqual({
      path: '/',
      totalBytes: 4096000,
      freeBytes: 1024000,
    });
  });
});
