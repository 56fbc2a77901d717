// The two tables a chaos run prints: the faults injected and the reconciliation. Pure.
import type { InjectedFault } from './injectors.ts';
import { describeFault } from './plan.ts';
import type { Reconciliation } from './reconcile.ts';
import type { StageStall } from './stalls.ts';

/** A Markdown table with padded columns: readable in a terminal and in a .md file. */
export function markdownTable(header: string[], rows: string[][], rightAligned: number[] = []): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const cell = (text: string, column: number) =>
    rightAligned.includes(column) ? text.padStart(widths[column]!) : text.padEnd(widths[column]!);
  const line = (cells: string[]) => `| ${cells.map(cell).join(' | ')} |`;
  const rule = `|${widths.map((width, column) => (rightAligned.includes(column) ? `${'-'.repeat(width + 1)}:` : '-'.repeat(width + 2))).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

const seconds = (ms: number) => (ms / 1000).toFixed(1);
const count = (n: number) => n.toLocaleString('en-US');

export function faultTable(faults: InjectedFault[]): string {
  return markdownTable(
    ['at (s)', 'fault', 'outcome', 'back after (s)', 'detail'],
    faults.map((entry) => [
      seconds(entry.startedAtMs),
      describeFault(entry.fault),
      entry.outcome,
      entry.fault.kind === 'kill-replica' ? '-' : seconds(entry.outageMs),
      entry.detail,
    ]),
    [0, 3],
  );
}

/** Faults by kind: planned, done, skipped, failed. */
export function faultSummary(faults: InjectedFault[]): string {
  const kinds = [...new Set(faults.map((entry) => entry.fault.kind))];
  return markdownTable(
    ['fault kind', 'planned', 'done', 'skipped', 'failed'],
    kinds.map((kind) => {
      const of = faults.filter((entry) => entry.fault.kind === kind);
      const n = (outcome: InjectedFault['outcome']) =>
        String(of.filter((entry) => entry.outcome === outcome).length);
      return [kind, String(of.length), n('done'), n('skipped'), n('failed')];
    }),
    [1, 2, 3, 4],
  );
}

/** Each stage's longest stand-still while records waited for it. */
export function stallTable(stalls: StageStall[]): string {
  return markdownTable(
    ['stage', 'longest stall (s)', 'from (s)', 'samples'],
    stalls.map((stall) => [
      stall.stage,
      seconds(stall.longestMs),
      stall.fromMs === undefined ? '-' : seconds(stall.fromMs),
      String(stall.samples),
    ]),
    [1, 2, 3],
  );
}

export function reconciliationTable(reconciliation: Reconciliation): string {
  return markdownTable(
    ['check', 'expected', 'found', 'missing', 'duplicated', 'unexpected', 'result'],
    reconciliation.rows.map((row) => [
      row.check,
      count(row.expected),
      count(row.found),
      count(row.missing),
      count(row.duplicated),
      count(row.unexpected),
      row.ok ? 'ok' : 'FAIL',
    ]),
    [1, 2, 3, 4, 5],
  );
}
