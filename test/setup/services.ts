// Global setup of the integration tests: real Kafka and InfluxDB, started when missing
// (the first run obtains and builds them) and left running afterwards, so re-runs are fast.
// With KAFKA_BROKERS / INFLUX_URL set, those servers are only checked, nothing is started.
// The predict image needs a trained model: a fresh clone gets one from the sample data, as
// `npm run up` does.
import { servicesUp } from '../../deploy/local/index.ts';
import { ensureModel, ensureSampleData } from '../../deploy/local/pipeline/model.ts';
import { formatProgress } from '../../deploy/local/report.ts';
import { loadConfig } from '../../system/config.ts';

export default async function setup(): Promise<void> {
  const config = loadConfig();
  const started = Date.now();
  process.stderr.write(`integration setup: services up (cache ${config.cacheDir}, data ${config.home})\n`);
  const reports = await servicesUp(config, {
    onProgress: (event) => process.stderr.write(`${formatProgress(event, Date.now() - started)}\n`),
  });
  const log = (line: string) => process.stderr.write(`integration setup:${line}\n`);
  await ensureModel(ensureSampleData(config, 20_000, log), log);
  const summary = reports.map((report) => `${report.service} ${report.state.split(':')[0]}`).join(', ');
  process.stderr.write(
    `integration setup: ready in ${((Date.now() - started) / 1000).toFixed(1)} s (${summary})\n`,
  );
}
