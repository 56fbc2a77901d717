import type { GroupLag, LagStatus } from './types.ts';

const statuses = new Set<LagStatus>(['OK', 'WARN', 'ERR', 'STALL', 'STOP', 'REWIND', 'UNKNOWN']);
const asStatus = (value: unknown): LagStatus =>
  statuses.has(value as LagStatus) ? (value as LagStatus) : 'UNKNOWN';

interface GroupReportWire {
  function?: unknown;
  groupId?: unknown;
  topic?: unknown;
  totalLag?: unknown;
  status?: unknown;
  partitions?: { partition?: unknown; lag?: unknown; status?: unknown }[];
}

/** The lag monitor's report (GET /lag on the connector's port) in the dashboard's terms. */
export function lagFromReport(body: unknown): GroupLag[] {
  const groups = (body as { groups?: unknown } | null)?.groups;
  if (!Array.isArray(groups)) throw new Error('GET /lag did not answer with { groups: [...] }');
  return (groups as GroupReportWire[]).map((group) => ({
    group: String(group.groupId),
    ...(typeof group.function === 'string' ? { function: group.function } : {}),
    topic: String(group.topic),
    totalLag: Number(group.totalLag ?? 0),
    status: asStatus(group.status),
    partitions: (group.partitions ?? []).map((p) => ({
      partition: Number(p.partition),
      lag: Number(p.lag ?? 0),
      status: asStatus(p.status),
    })),
  }));
}

/** Lag with Burrow-style status from the connector's lag monitor. */
export function connectorLag(connectorUrl: string, timeoutMs: number): () => Promise<GroupLag[]> {
  return async () => {
    const response = await fetch(new URL('/lag', connectorUrl), { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) throw new Error(`GET /lag on the connector answered ${response.status}`);
    return lagFromReport(await response.json());
  };
}
