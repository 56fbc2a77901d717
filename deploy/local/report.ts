// Terminal rendering of service reports and progress lines. Pure.
import type { ProgressEvent } from './progress.ts';
import type { ServiceReport } from './registry.ts';

function describeState(report: ServiceReport): string {
  const owner =
    report.startedByCdnfaas && report.pid !== undefined ? ` (started by cdnfaas, pid ${report.pid})` : '';
  return `${report.state}${owner}`;
}

/** One aligned row per service: name, address, version, state (last, as it can be long). */
export function formatReports(reports: ServiceReport[]): string {
  const rows = reports.map((report) => [
    report.service,
    report.address,
    report.version ?? '-',
    describeState(report),
  ]);
  const header = ['SERVICE', 'ADDRESS', 'VERSION', 'STATE'];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length)),
  );
  return [header, ...rows]
    .map((row) =>
      row
        .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** A progress line with the seconds since the command began, so slow steps are visible. */
export function formatProgress(event: ProgressEvent, elapsedMs: number): string {
  const seconds = (elapsedMs / 1000).toFixed(1).padStart(6);
  const mark = event.kind === 'warn' ? 'warning: ' : '';
  return `[${seconds}s] ${event.service.padEnd(8)} ${mark}${event.message}`;
}
