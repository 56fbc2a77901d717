// The scaling curve of bench/REPORT.md and of `npm run bench:scaling`. Pure: the report in,
// Markdown lines out.
import { markdownTable } from '../../chaos/tables.ts';
import type { BenchReport } from './model.ts';
import { int, why } from './realtime-cells.ts';
import { saturation, scalingVerdict } from './scaling.ts';

/** The scaling curve's table and verdict (also printed by `npm run bench:scaling`). */
export function scalingSection(scaling: BenchReport['scaling']): string[] {
  if (scaling.status === 'missing') return ['## Scaling curve', '', why(scaling), ''];
  const rows = scaling.runs.map((run) => {
    if (run.result.status === 'missing')
      return [String(run.partitions), String(run.replicas), why(run.result), '', ''];
    const top = saturation(run.result.cpu, run.replicas, scaling.cores)
      .slice(0, 3)
      .map((s) => `${s.part} ${s.cores.toFixed(2)}/${s.capacity}`)
      .join(', ');
    const machine = run.result.cpu.find((share) => share.part.startsWith('machine'));
    return [
      String(run.partitions),
      String(run.replicas),
      int(run.result.sustainedRecordsPerSecond),
      int(run.result.endToEndRecordsPerSecond),
      `${top}; machine ${machine === undefined ? 'n/a' : machine.cores.toFixed(2)}/${scaling.cores}`,
    ];
  });
  return [
    '## Scaling curve',
    '',
    `The whole system with every function pinned to 1, 2 or 4 replicas (scale.min = scale.max, no autoscaler) and`,
    `its topics at 6 or 12 partitions; ${int(scaling.recordsPerRun)} generated records replayed as fast as possible per run, after a`,
    'short warm-up. Processes closest to the cores they can use (a Node process: 1 core on its main thread; a',
    "function's replicas: one each; Kafka and InfluxDB: every core), as cores used / cores usable.",
    '',
    markdownTable(
      [
        'partitions',
        'replicas per function',
        'sustained records/s',
        'end to end records/s',
        'closest to saturation',
      ],
      rows,
      [0, 1, 2, 3],
    ),
    '',
    scalingVerdict(scaling.runs, scaling.cores),
    '',
  ];
}
