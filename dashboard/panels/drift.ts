// Whether live traffic still looks like the deployed model's training data (ml/drift.ts).
import type { DriftReport } from '../../ml/drift.ts';
import type { TablePanel } from '../view-model.ts';
import { statusOf, table, type ViewContext } from './context.ts';

const percent = (share: number) => `${(share * 100).toFixed(2)} %`;

/** One row for the anomaly rate, one per column with its PSI, on the live page and in `cdnfaas status`. */
export function driftRows(report: DriftReport): string[][] {
  return [
    [
      'anomaly rate',
      percent(report.anomalyRate.live),
      percent(report.anomalyRate.expected),
      '-',
      report.anomalyRate.state,
    ],
    ...report.columns.map((column) => [column.column, '-', '-', column.psi.toFixed(3), column.state]),
  ];
}

export function driftTable(context: ViewContext): TablePanel {
  const outcome = context.latest?.drift;
  const report = outcome?.state === 'ok' ? outcome.value : undefined;
  return table(
    {
      id: 'drift',
      title: report === undefined ? 'Model drift' : `Model drift: ${report.state} (${report.model})`,
      description:
        "Live traffic against the deployed predict's training data: the anomaly rate against the rate on its held-out rows, and each column's population stability index over the newest records (PSI < 0.1 ok, < 0.25 watch, else retrain; an anomaly rate from 2x expected watch, from 4x retrain).",
    },
    ['signal', 'live', 'at training', 'PSI', 'state'],
    report === undefined ? [] : driftRows(report),
    statusOf(outcome, 'drift', (value) => value.records === 0, 'no records on the input topic yet'),
  );
}
