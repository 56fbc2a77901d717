// Each stage alone, one replica: a backlog in its input topic, drained through the connector and
// the gateway by the real function, with nothing else of the pipeline running beside it.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Partitioners } from 'kafkajs';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { groupIdFor } from '../../contracts/kafka-names.ts';
import { readGroupLag } from '../../scaling/lag/reader.ts';
import { projectRoot } from '../../system/config.ts';
import { startBackground, stopBackground } from '../../deploy/local/pipeline/background.ts';
import type { SystemConfig } from '../../system/config.ts';
import { startSystem } from '../../test/support/system.ts';
import { stageInputs } from './workload.ts';

export interface StageResult {
  function: string;
  records: number;
  replicas: number;
  /** Records/s between 10 % and 90 % of the backlog consumed (group joins and the tail left out). */
  recordsPerSecond: number;
  recordsPerSecondPerReplica: number;
}

/** The parts of a stack file this touches; the rest is kept as it is. */
export interface StackYaml {
  functions: Record<string, { handler: string; labels?: Record<string, string> } & Record<string, unknown>>;
  [key: string]: unknown;
}

/** Where the benchmarks write their variants of stack.yml. */
export const stacksDir = join(projectRoot, 'bench', 'out', 'stacks');

/**
 * Writes `vary` applied to the repository's stack.yml into stacksDir as `fileName`; returns its
 * path. `vary` gets the folder, to make the handler paths relative to it.
 */
export function writeStackVariant(
  fileName: string,
  vary: (stack: StackYaml, dir: string) => StackYaml,
): string {
  mkdirSync(stacksDir, { recursive: true });
  const file = join(stacksDir, fileName);
  const stack = parseYaml(readFileSync(join(projectRoot, 'stack.yml'), 'utf8')) as StackYaml;
  writeFileSync(file, stringifyYaml(vary(stack, stacksDir)));
  return file;
}

/** stack.yml with only `name`, pinned to one replica, its handler path made relative to `dir`. Pure. */
export function singleFunctionStack(stack: StackYaml, name: string, dir: string): StackYaml {
  const fn = stack.functions[name]!;
  const handler = relative(dir, join(projectRoot, fn.handler));
  return {
    ...stack,
    functions: {
      [name]: {
        ...fn,
        handler,
        labels: { ...fn.labels, 'com.openfaas.scale.min': '1', 'com.openfaas.scale.max': '1' },
      },
    },
  };
}

/** What the run's connector reads from the environment besides its home: brokers and InfluxDB. */
function connectorEnv(config: SystemConfig): Record<string, string> {
  return {
    KAFKA_BROKERS: config.kafka.brokers.join(','),
    INFLUX_URL: config.influxdb.url,
    INFLUX_ORG: config.influxdb.org,
    INFLUX_BUCKET: config.influxdb.bucket,
    INFLUX_TOKEN_FILE: config.influxdb.tokenFile,
  };
}

export async function measureStage(
  name: string,
  records: number,
  say: (line: string) => void,
): Promise<StageResult> {
  const stackFile = writeStackVariant(`stack.${name}.yml`, (stack, dir) =>
    singleFunctionStack(stack, name, dir),
  );
  const input = stageInputs(records, 11)[name]!;
  const system = await startSystem({
    label: 'stage',
    stackFile,
    autoscale: false,
    log: (line) => say(`    ${line}`),
  });
  try {
    const deployed = system.functions[name]!;
    const topic = system.topic(input.topic);
    // The whole backlog is in the topic before the connector starts: the drain is the stage's own
    // pace, not the producer's.
    await stopBackground(system.config, 'connector');
    const producer = system.kafka.producer({
      createPartitioner: Partitioners.DefaultPartitioner,
      allowAutoTopicCreation: false,
    });
    await producer.connect();
    for (let start = 0; start < input.values.length; start += 5_000)
      await producer.send({ topic, acks: -1, messages: input.values.slice(start, start + 5_000) });
    await producer.disconnect();
    await startBackground(system.config, {
      name: 'connector',
      args: [
        'connector',
        '--port',
        new URL(system.connectorUrl).port,
        '--gateway',
        system.gatewayUrl,
        '--no-autoscale',
      ],
      healthUrl: `${system.connectorUrl}/healthz`,
      env: {
        CDNFAAS_HOME: system.home,
        GATEWAY_PORT: new URL(system.gatewayUrl).port,
        ...connectorEnv(system.config),
      },
    });
    let t10: number | undefined;
    let t90: number | undefined;
    const deadline = Date.now() + 300_000;
    let lastSaid = 0;
    while (Date.now() < deadline && t90 === undefined) {
      const lag = await readGroupLag(system.admin, {
        function: deployed,
        groupId: groupIdFor(deployed),
        topic,
      });
      const consumed = records - lag.totalLag;
      const now = performance.now();
      if (t10 === undefined && consumed >= records * 0.1) t10 = now;
      if (t90 === undefined && consumed >= records * 0.9) t90 = now;
      if (now - lastSaid > 3_000) {
        lastSaid = now;
        say(
          `    ${name}: ${consumed.toLocaleString('en-US')} of ${records.toLocaleString('en-US')} consumed`,
        );
      }
      await sleep(50);
    }
    if (t10 === undefined || t90 === undefined)
      throw new Error(`${name} did not drain its backlog within 5 minutes`);
    const rate = (records * 0.8) / ((t90 - t10) / 1000);
    return { function: name, records, replicas: 1, recordsPerSecond: rate, recordsPerSecondPerReplica: rate };
  } finally {
    await system.stop();
    rmSync(stackFile, { force: true });
  }
}
