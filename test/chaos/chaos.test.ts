/**
 * The short form of `npm run chaos`, as CI runs it: a pipeline of its own (own Kafka, InfluxDB,
 * gateway and connector, on ports nobody else uses), a replay with spoiled records in it, and
 * meanwhile every kind of fault once or more: replicas killed, the broker restarted, InfluxDB
 * stopped, the gateway and the connector restarted. Then every record is reconciled: each valid
 * one stored exactly once in both measurements, each invalid one in the DLQ, nothing else.
 * CHAOS_SEED picks another schedule and data set; `npm run chaos` is the long form.
 */
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { printFaults, printReport } from '../../chaos/main.ts';
import { shortProfile, type FaultKind } from '../../chaos/plan.ts';
import { runChaos } from '../../chaos/run.ts';
import { createLogger } from '../../lib/logger.ts';
import { projectRoot } from '../../system/config.ts';

const seed = Number(process.env.CHAOS_SEED ?? 1);

describe('chaos, short form', () => {
  it(
    `keeps every record exactly once through kills and restarts (seed ${seed})`,
    { timeout: 330_000 },
    async () => {
      const outDir = join(projectRoot, 'bench', 'out');
      mkdirSync(outDir, { recursive: true });
      const logger = createLogger({
        service: 'chaos-test',
        level: 'warn',
        destination: createWriteStream(join(outDir, 'chaos-test.log')),
      });
      const write = (text: string) => process.stdout.write(text);
      const report = await runChaos({
        profile: shortProfile,
        seed,
        logger,
        say: (line) => process.stderr.write(`${line}\n`),
        onFaults: (faults) => printFaults(faults, write),
      });
      printReport(report, write);

      const done = (kind: FaultKind) =>
        report.faults.filter((entry) => entry.fault.kind === kind && entry.outcome === 'done').length;
      expect(
        report.faults.filter((entry) => entry.outcome === 'failed'),
        'faults whose part did not come back',
      ).toEqual([]);
      for (const kind of [
        'restart-kafka',
        'stop-influxdb',
        'restart-gateway',
        'restart-connector',
        'kill-replica',
      ] as const) {
        expect(done(kind), `${kind} injected`).toBeGreaterThanOrEqual(1);
      }
      expect(report.settled, 'the pipeline drained every topic').toBe(true);
      expect(report.reconciliation.valid).toBeGreaterThan(shortProfile.records * 0.95);
      expect(report.reconciliation.invalid).toBeGreaterThan(0);
      const failing = report.reconciliation.rows.filter((row) => !row.ok);
      expect(
        failing,
        `reconciliation (evidence: ${JSON.stringify(report.evidence).slice(0, 1_500)})`,
      ).toEqual([]);
    },
  );
});
