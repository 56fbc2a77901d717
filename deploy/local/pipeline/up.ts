// `npm run up`: the whole pipeline on this machine, step by step, each step skipped when its
// result is already there (services running, sample data written, model trained, images built).
import { join } from 'node:path';
import { buildStack, modelImageEnv, modelImages } from '../../../runtime/build/index.ts';
import { ensureCredentials } from '../../../runtime/gateway/credentials.ts';
import { loadStackFile } from '../../../runtime/stack/stack-file.ts';
import { readCsvRecords } from '../../../simulator/csv-rows.ts';
import { replay } from '../../../simulator/replay.ts';
import { createProgress } from '../../../lib/progress.ts';
import { projectRoot, readInfluxToken, type SystemConfig } from '../../../system/config.ts';
import { kafkaConnection } from '../../../system/kafka-connection.ts';
import { servicesUp } from '../up.ts';
import { startBackground } from './background.ts';
import { deployFunction, upsertSecret, waitForReady, type GatewayAccess } from './deploy-stack.ts';
import { countStored } from './stored.ts';
import { ensureModel, ensureSampleData } from './model.ts';

export { predictModelDir, sampleDataFile } from './model.ts';

export interface UpOptions {
  stackFile?: string;
  sampleRows?: number;
  /** A CSV to train the first model on instead of the generated sample (`npm run up -- --data FILE.csv`). */
  trainingData?: string;
  /** Skip the replay of sample data (the pipeline is left running and empty). */
  replay?: boolean;
  log?: (line: string) => void;
}

export const connectorPort = 8082;
export async function pipelineUp(
  config: SystemConfig,
  options: UpOptions = {},
): Promise<{ dashboardUrl: string }> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const step = (n: number, text: string) => log(`\n[${n}/7] ${text}`);
  const stackFile = options.stackFile ?? join(projectRoot, 'stack.yml');
  const gatewayUrl = `http://127.0.0.1:${config.gateway.port}`;
  // stack.yml names InfluxDB as ${INFLUX_URL:-...}: the functions write where this config points.
  const baseEnv = {
    ...process.env,
    INFLUX_URL: config.influxdb.url,
    INFLUX_ORG: config.influxdb.org,
    INFLUX_BUCKET: config.influxdb.bucket,
  };

  step(1, 'services: Kafka and InfluxDB');
  await servicesUp(config, { onProgress: (event) => log(`  ${event.service}: ${event.message}`) });

  step(2, 'sample data');
  const sample = ensureSampleData(config, options.sampleRows ?? 20_000, log);

  step(3, 'model');
  await ensureModel(sample, log, options.trainingData);
  // predict is built and deployed as the tag that names its model (PREDICT_TAG, PREDICT_MODEL),
  // so running up again reuses the image and a retrain adds one; no tag ever moves.
  const env = modelImageEnv(stackFile, baseEnv);
  for (const image of modelImages(stackFile, baseEnv))
    log(`  ${image.function}: ${image.installed.model} as ${image.ref}`);

  step(4, 'build: functions into the local image store');
  await buildStack({
    stackFile,
    config,
    env,
    checkModels: true,
    onEvent: (event) => {
      if (event.type === 'built') {
        const { function: name, ref, digest, outcome } = event.result;
        log(`  ${name}: ${ref} ${digest.slice(0, 19)} (${outcome})`);
      }
      if (event.type === 'failed') log(`  ${event.function}: failed`);
    },
  });

  step(5, `gateway on ${gatewayUrl} and deploy`);
  const credentials = ensureCredentials(config.home);
  await startBackground(config, { name: 'gateway', args: ['gateway'], healthUrl: `${gatewayUrl}/healthz` });
  const access: GatewayAccess = { url: gatewayUrl, user: credentials.user, password: credentials.password };
  const stack = loadStackFile(stackFile, { env });
  const secrets = new Set(stack.functions.flatMap((fn) => fn.secrets));
  if (secrets.has('influxdb-token')) await upsertSecret(access, 'influxdb-token', readInfluxToken(config));
  for (const fn of stack.functions) {
    await deployFunction(access, fn);
    log(`  deployed ${fn.name} (${fn.image})`);
  }
  await waitForReady(
    access,
    stack.functions.map((fn) => fn.name),
  );

  step(6, 'connector and autoscaler');
  await startBackground(config, {
    name: 'connector',
    args: ['connector', '--port', String(connectorPort), '--gateway', gatewayUrl],
    healthUrl: `http://127.0.0.1:${connectorPort}/healthz`,
  });

  step(7, 'replay sample data into cdn_raw');
  if (options.replay !== false) {
    const records = await readCsvRecords(sample);
    const progress = createProgress('  replay', records.length);
    const result = await replay(records, {
      kafka: kafkaConnection(config),
      topic: 'cdn_raw',
      onProgress: (sent, total) => progress.update(sent, total),
    });
    progress.stop();
    log(`  replayed ${result.sent} records in ${(result.elapsedMs / 1000).toFixed(1)} s`);
    const stored = await countStored(config, records.length, 120_000, (counts) =>
      log(`  stored so far: ${counts.clientData} records, ${counts.predictions} predictions`),
    );
    log(`  stored: ${stored.clientData} records, ${stored.predictions} predictions`);
  }
  return { dashboardUrl: `${gatewayUrl}/ui/` };
}
