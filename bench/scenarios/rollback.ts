// Rollback under load: provide serves a steady open-loop rate through `cdnfaas gateway`, and
// meanwhile the previous image tag is deployed again. Counts the failed calls and how far the
// latency rose while the replicas rolled over.
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';
import { basicAuthHeader } from '../../connectors/kafka/credentials.ts';
import { buildStack } from '../../runtime/build/index.ts';
import { openImageStore } from '../../runtime/images/store.ts';
import { projectRoot } from '../../system/config.ts';
import { startGatewayProcess } from '../connector-gateway.ts';
import { rawValues } from './workload.ts';

export interface RollbackResult {
  rate: number;
  seconds: number;
  requests: number;
  failed: number;
  /** Latency before the rollback, ms. */
  before: { p50: number; p99: number };
  /** Latency from the rollback request to the end of the run, ms. */
  during: { p50: number; p99: number; max: number };
  /** Seconds the PUT of the previous tag took to answer. */
  deployAnsweredSeconds: number;
}

interface Sample {
  sentAt: number;
  ms: number;
  ok: boolean;
}

/** The p-th percentile of sorted values. Pure. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export async function measureRollback(options: {
  rate: number;
  seconds: number;
  rollbackAtSeconds: number;
  say: (line: string) => void;
}): Promise<RollbackResult> {
  const stackFile = join(projectRoot, 'stack.yml');
  const gateway = await startGatewayProcess({ stack: stackFile, function: 'provide' });
  try {
    // The release being rolled back: the same function under the next tag.
    await buildStack({
      stackFile,
      filter: 'provide',
      config: { home: gateway.home },
      store: openImageStore(gateway.home),
      images: { provide: 'cdnfaas/provide:0.1.1' },
    });
    const labels = { 'com.openfaas.scale.min': '2', 'com.openfaas.scale.max': '2' };
    await gateway.deploy({ service: 'provide', image: 'cdnfaas/provide:0.1.1', annotations: {}, labels });
    await gateway.waitForReady('provide', 2, 60_000);
    const put = (image: string) =>
      fetch(`${gateway.url}/system/functions`, {
        method: 'PUT',
        headers: {
          authorization: basicAuthHeader(gateway.credentials()!),
          'content-type': 'application/json',
        },
        body: JSON.stringify({ service: 'provide', image, labels, annotations: {} }),
      });

    const bodies = rawValues(1_000, 17);
    const pool = new Pool(gateway.url, { connections: 32, pipelining: 1 });
    const samples: Sample[] = [];
    const started = performance.now();
    const calls: Promise<void>[] = [];
    const total = options.rate * options.seconds;
    let rolledAt = Number.NaN;
    let deployAnsweredSeconds = Number.NaN;
    const rollback = (async () => {
      await sleep(options.rollbackAtSeconds * 1000);
      options.say(`    deploying the previous tag cdnfaas/provide:0.1.0 under ${options.rate} calls/s`);
      rolledAt = performance.now() - started;
      const response = await put('cdnfaas/provide:0.1.0');
      deployAnsweredSeconds = (performance.now() - started - rolledAt) / 1000;
      if (response.status >= 300)
        throw new Error(`rollback refused: ${response.status} ${await response.text()}`);
    })();
    for (let n = 0; n < total; n++) {
      const due = (n / options.rate) * 1000;
      const wait = due - (performance.now() - started);
      if (wait > 1) await sleep(wait);
      const sentAt = performance.now() - started;
      calls.push(
        pool
          .request({
            method: 'POST',
            path: '/function/provide',
            headers: { 'content-type': 'application/json' },
            body: bodies[n % bodies.length]!,
            headersTimeout: 30_000,
            bodyTimeout: 30_000,
          })
          .then(async (response) => {
            await response.body.dump();
            samples.push({
              sentAt,
              ms: performance.now() - started - sentAt,
              ok: response.statusCode === 200,
            });
          })
          .catch(() => {
            samples.push({ sentAt, ms: performance.now() - started - sentAt, ok: false });
          }),
      );
    }
    await Promise.all(calls);
    await rollback;
    await pool.close();
    const sorted = (list: Sample[]) => list.map((sample) => sample.ms).sort((a, b) => a - b);
    const before = sorted(samples.filter((sample) => sample.sentAt >= 1_000 && sample.sentAt < rolledAt));
    const during = sorted(samples.filter((sample) => sample.sentAt >= rolledAt));
    return {
      rate: options.rate,
      seconds: options.seconds,
      requests: samples.length,
      failed: samples.filter((sample) => !sample.ok).length,
      before: { p50: percentile(before, 50), p99: percentile(before, 99) },
      during: {
        p50: percentile(during, 50),
        p99: percentile(during, 99),
        max: during[during.length - 1] ?? Number.NaN,
      },
      deployAnsweredSeconds,
    };
  } finally {
    await gateway.stop();
  }
}
