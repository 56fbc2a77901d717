// The host the system runs on: CPU and memory, network, disks.
import type { ChartPanel, TablePanel } from '../view-model.ts';
import {
  chart,
  formatBytes,
  historySeries,
  round,
  statusOf,
  table,
  valueOf,
  type Status,
  type ViewContext,
} from './context.ts';

const hostStatus = (context: ViewContext) => statusOf(context.latest?.host, 'host', () => false, '');

export function hostChart(context: ViewContext): ChartPanel {
  return chart(
    {
      id: 'host',
      title: 'Host CPU and memory',
      description: 'CPU busy over all cores, memory in use (not available to programs).',
    },
    'percent',
    historySeries(
      context.history,
      (p) => p.host && { 'cpu %': p.host.cpuPercent, 'memory %': p.host.memoryPercent },
    ),
    hostStatus(context),
  );
}

export function networkChart(context: ViewContext): ChartPanel {
  const host = valueOf(context.latest?.host);
  const status: Status =
    host !== undefined && host.network === undefined
      ? { state: 'off', message: 'network counters are not available on this platform' }
      : hostStatus(context);
  return chart(
    {
      id: 'network',
      title: 'Host network',
      description: 'Bytes/s received and sent on all interfaces but loopback.',
    },
    'bytes-per-second',
    historySeries(
      context.history,
      (p) => p.network && { received: p.network.rxPerSecond, sent: p.network.txPerSecond },
    ),
    status,
  );
}

export function disksTable(context: ViewContext): TablePanel {
  const disks = valueOf(context.latest?.host)?.disks ?? [];
  return table(
    {
      id: 'disks',
      title: 'Disks',
      description: 'Size and free space of the file systems the system writes to.',
    },
    ['path', 'size', 'free', 'used %'],
    disks.map((d) => [
      d.path,
      formatBytes(d.totalBytes),
      formatBytes(d.freeBytes),
      round(d.totalBytes > 0 ? (100 * (d.totalBytes - d.freeBytes)) / d.totalBytes : 0),
    ]),
    hostStatus(context),
  );
}
