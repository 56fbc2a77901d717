import type { DriftReport } from '../../ml/drift.ts';
import { driftRows } from '../panels/drift.ts';
import type { Outcome } from '../state.ts';
import type { FunctionSummary } from '../sources/gateway.ts';
import type { GroupLag, StoredCount, TopicOffsets } from '../sources/types.ts';

export interface ServiceRow {
  name: string;
  address: string;
  version?: string;
  state: string;
}

/** A section's data, or why it could not be read and what to do about it. */
export type Section<T> = Outcome<T> & { hint?: string };

/** The pipeline's state as `cdnfaas status` prints it. */
export interface StatusReport {
  services: Section<ServiceRow[]>;
  functions: Section<FunctionSummary[]> & { from: string };
  lag: Section<GroupLag[]> & { from: string };
  stored: Section<StoredCount[]> & { from: string };
  topics: Section<TopicOffsets[]> & { from: string };
  /** The live traffic against the deployed predict's training data; absent when not asked for. */
  drift?: Section<DriftReport> & { from: string };
}

const count = (value: number) => value.toLocaleString('en');

/** Aligned columns, the last one unpadded (it can be long). */
export function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)),
  );
  return [header, ...rows].map((row) =>
    row
      .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!)))
      .join('  ')
      .trimEnd(),
  );
}

function section<T>(
  title: string,
  outcome: Section<T>,
  empty: string,
  render: (value: T) => string[] | undefined,
): string {
  const indent = (lines: string[]) => lines.map((line) => `  ${line}`);
  if (outcome.state === 'off') return [title, ...indent([outcome.hint ?? 'not configured'])].join('\n');
  if (outcome.state === 'error') {
    return [
      title,
      ...indent([`unavailable: ${outcome.message}`, ...(outcome.hint ? [`-> ${outcome.hint}`] : [])]),
    ].join('\n');
  }
  return [title, ...indent(render(outcome.value) ?? [empty])].join('\n');
}

const nonEmpty = <T>(rows: T[], lines: (rows: T[]) => string[]) =>
  rows.length === 0 ? undefined : lines(rows);

/** The whole report as text: one section per source, each failing on its own. */
export function formatStatus(report: StatusReport): string {
  return [
    section('SERVICES', report.services, 'no services', (rows) =>
      nonEmpty(rows, () =>
        table(
          ['SERVICE', 'ADDRESS', 'VERSION', 'STATE'],
          rows.map((r) => [r.name, r.address, r.version ?? '-', r.state]),
        ),
      ),
    ),
    section(`FUNCTIONS (${report.functions.from})`, report.functions, 'no functions deployed', (rows) =>
      nonEmpty(rows, () =>
        table(
          ['FUNCTION', 'IMAGE', 'READY/DESIRED', 'TOPIC'],
          rows.map((f) => [f.name, f.image, `${f.availableReplicas}/${f.replicas}`, f.topic ?? '-']),
        ),
      ),
    ),
    section(`CONSUMER LAG (${report.lag.from})`, report.lag, 'no consumer groups yet', (groups) =>
      nonEmpty(groups, () =>
        table(
          ['GROUP', 'TOPIC', 'LAG', 'STATUS', 'PARTITIONS (partition:lag)'],
          groups.map((g) => [
            g.group,
            g.topic,
            count(g.totalLag),
            g.status === 'UNKNOWN' ? '-' : g.status,
            g.partitions
              .map(
                (p) =>
                  `${p.partition}:${p.lag}${p.status === 'OK' || p.status === 'UNKNOWN' ? '' : `(${p.status})`}`,
              )
              .join(' '),
          ]),
        ),
      ),
    ),
    section(`RECORDS STORED (${report.stored.from})`, report.stored, 'no measurements', (rows) =>
      nonEmpty(rows, () =>
        table(
          ['MEASUREMENT', 'POINTS'],
          rows.map((s) => [s.measurement, count(s.points)]),
        ),
      ),
    ),
    ...(report.drift === undefined
      ? []
      : [
          section(`MODEL DRIFT (${report.drift.from})`, report.drift, 'no records yet', (drift) => [
            `state: ${drift.state.toUpperCase()}  (model ${drift.model}, ${count(drift.records)} records, ${count(drift.predictions)} predictions)`,
            ...table(['SIGNAL', 'LIVE', 'AT TRAINING', 'PSI', 'STATE'], driftRows(drift)),
          ]),
        ]),
    section(`TOPICS (${report.topics.from})`, report.topics, 'no topics yet', (rows) =>
      nonEmpty(rows, () =>
        table(
          ['TOPIC', 'END OFFSET'],
          rows.map((t) => [t.topic, count(t.endOffset)]),
        ),
      ),
    ),
  ].join('\n\n');
}
