/**
 * `npm run chaos`: the pipeline under faults, then a reconciliation of every record.
 *
 *   npm run chaos                      long form: 100,000 records, every fault of the issue
 *   npm run chaos -- --short           the form CI runs (also test/chaos)
 *   npm run chaos -- --seed 7          another fault schedule and data set
 *   npm run chaos -- --records 5000 --rate 500   fewer records, another pace
 *   npm run chaos -- --keep            keep the isolated home (logs of every process) afterwards
 *   npm run chaos -- --kafka-nodes 3   a three-node Kafka cluster: its partition leader and its active
 *                                      controller killed -9, a rolling restart of all three
 *
 * Prints the faults injected and the reconciliation, writes bench/out/chaos-<form>.json, and
 * exits 1 when a record was lost or duplicated, or a fault could not be done.
 */
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger } from '../lib/logger.ts';
import { projectRoot } from '../system/config.ts';
import { longProfile, shortProfile } from './plan.ts';
import type { InjectedFault } from './injectors.ts';
import { runChaos, type ChaosReport } from './run.ts';
import { faultSummary, faultTable, reconciliationTable, stallTable } from './tables.ts';

export function chaosPassed(report: ChaosReport): boolean {
  return (
    report.settled && report.reconciliation.ok && report.faults.every((entry) => entry.outcome !== 'failed')
  );
}

export function printFaults(faults: InjectedFault[], write: (text: string) => void): void {
  write(`\nFaults injected:\n\n${faultTable(faults)}\n\n${faultSummary(faults)}\n`);
}

export function printReport(report: ChaosReport, write: (text: string) => void): void {
  const { reconciliation: r } = report;
  write(
    `\nLongest stall of each stage while records waited (during the replay and the faults):\n\n${stallTable(report.stalls)}\n` +
      `\nReconciliation (${report.profile} form, seed ${report.seed}, ${report.kafkaNodes} Kafka node${report.kafkaNodes === 1 ? '' : 's'}): ${report.records.toLocaleString('en-US')} records sent (${r.valid.toLocaleString('en-US')} valid, ` +
      `${r.invalid.toLocaleString('en-US')} invalid), replay resends ${report.replay.resends}${report.replay.resendReasons.length > 0 ? ` (${report.replay.resendReasons.join('; ')})` : ''}, settled: ${report.settled}\n\n${reconciliationTable(r)}\n`,
  );
  const t = report.timings;
  write(
    `\nsetup ${(t.setupMs / 1000).toFixed(0)} s, replay and faults ${(t.faultsMs / 1000).toFixed(0)} s, ` +
      `settling ${(t.settleMs / 1000).toFixed(0)} s, read-back ${(t.readBackMs / 1000).toFixed(0)} s\n` +
      `${chaosPassed(report) ? 'PASS: every valid record stored exactly once in both measurements, every invalid one in the DLQ' : 'FAIL: see the rows marked FAIL above'}\n`,
  );
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const option = (name: string, fallback: number): number => {
    const at = args.indexOf(name);
    const value = at >= 0 ? Number(args[at + 1]) : fallback;
    if (!Number.isInteger(value) || value < 0)
      throw new Error(`${name} needs a whole number, got ${args[at + 1]}`);
    return value;
  };
  const base = args.includes('--short') ? shortProfile : longProfile;
  const profile = { ...base, records: option('--records', base.records), rate: option('--rate', base.rate) };
  const seed = option('--seed', 1);
  const kafkaNodes = option('--kafka-nodes', 1);
  if (kafkaNodes !== 1 && kafkaNodes < 3)
    throw new Error('--kafka-nodes takes 1 or 3 and more (a cluster needs a quorum)');
  const outDir = join(projectRoot, 'bench', 'out');
  mkdirSync(outDir, { recursive: true });
  const logger = createLogger({
    service: 'chaos',
    level: 'warn',
    destination: createWriteStream(join(outDir, `chaos-${profile.name}.log`)),
  });
  const report = await runChaos({
    profile,
    seed,
    kafkaNodes,
    logger,
    keepHome: args.includes('--keep'),
    onFaults: (faults) => printFaults(faults, (text) => process.stdout.write(text)),
    say: (line) => process.stderr.write(`${line}\n`),
  });
  printReport(report, (text) => process.stdout.write(text));
  writeFileSync(
    join(outDir, `chaos-${profile.name}${kafkaNodes === 1 ? '' : `-${kafkaNodes}-nodes`}.json`),
    `${JSON.stringify({ at: new Date().toISOString(), passed: chaosPassed(report), ...report }, null, 2)}\n`,
  );
  if (args.includes('--keep')) process.stderr.write(`isolated home kept: ${report.home}\n`);
  process.exitCode = chaosPassed(report) ? 0 : 1;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    process.stderr.write(`chaos run failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(2);
  });
}
