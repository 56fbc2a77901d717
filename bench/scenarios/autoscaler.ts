// The autoscaler's reaction: a burst into cdn_raw puts provide's lag over its target; how long
// until the gateway is asked for a second replica, and until that replica serves.
import { setTimeout as sleep } from 'node:timers/promises';
import { Partitioners } from 'kafkajs';
import { groupIdFor } from '../../contracts/kafka-names.ts';
import { readGroupLag } from '../../scaling/lag/reader.ts';
import { startSystem } from '../../test/support/system.ts';
import { rawValues } from './workload.ts';

export interface AutoscalerResult {
  function: string;
  lagTarget: number;
  burst: number;
  /** Seconds from the first lag reading over the target to the gateway's desired replicas > 1. */
  scaleDecisionSeconds: number | null;
  /** Seconds from the first lag reading over the target to a second replica ready (serving). */
  newReplicaServingSeconds: number | null;
  maxReplicas: number;
  peakLag: number;
}

export async function measureAutoscaler(
  burst: number,
  say: (line: string) => void,
): Promise<AutoscalerResult> {
  const system = await startSystem({ label: 'scale', autoscale: true, log: (line) => say(`    ${line}`) });
  try {
    const name = system.functions.provide!;
    const topic = system.topic('cdn_raw');
    const lagTarget = 5_000;
    const status = async () => {
      const response = await fetch(`${system.gatewayUrl}/system/function/${name}`, {
        headers: {
          authorization: `Basic ${Buffer.from(`${system.credentials.user}:${system.credentials.password}`).toString('base64')}`,
        },
      });
      return (await response.json()) as { replicas: number; availableReplicas: number };
    };
    const producer = system.kafka.producer({
      createPartitioner: Partitioners.DefaultPartitioner,
      allowAutoTopicCreation: false,
    });
    await producer.connect();
    const values = rawValues(burst, 13);
    const produced = (async () => {
      for (let start = 0; start < values.length; start += 5_000)
        await producer.send({
          topic,
          acks: -1,
          messages: values.slice(start, start + 5_000).map((value) => ({ value })),
        });
      await producer.disconnect();
    })();
    let overAt: number | undefined;
    let decidedAt: number | undefined;
    let servingAt: number | undefined;
    let maxReplicas = 1;
    let peakLag = 0;
    const deadline = performance.now() + 120_000;
    while (performance.now() < deadline && servingAt === undefined) {
      const [lag, fn] = await Promise.all([
        readGroupLag(system.admin, { function: name, groupId: groupIdFor(name), topic }),
        status(),
      ]);
      const now = performance.now();
      peakLag = Math.max(peakLag, lag.totalLag);
      maxReplicas = Math.max(maxReplicas, fn.replicas);
      if (overAt === undefined && lag.totalLag > lagTarget) {
        overAt = now;
        say(
          `    lag ${lag.totalLag.toLocaleString('en-US')} over the target of ${lagTarget.toLocaleString('en-US')}`,
        );
      }
      if (overAt !== undefined && decidedAt === undefined && fn.replicas > 1) {
        decidedAt = now;
        say(`    the autoscaler asked for ${fn.replicas} replicas`);
      }
      if (overAt !== undefined && servingAt === undefined && fn.availableReplicas > 1) {
        servingAt = now;
        say(`    ${fn.availableReplicas} replicas ready`);
      }
      if (overAt === undefined && lag.totalLag === 0 && now > deadline - 60_000) break;
      await sleep(100);
    }
    await produced;
    const since = (at: number | undefined) =>
      at === undefined || overAt === undefined ? null : (at - overAt) / 1000;
    return {
      function: 'provide',
      lagTarget,
      burst,
      scaleDecisionSeconds: since(decidedAt),
      newReplicaServingSeconds: since(servingAt),
      maxReplicas,
      peakLag,
    };
  } finally {
    await system.stop();
  }
}
