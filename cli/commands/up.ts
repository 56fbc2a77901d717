import type { Command } from 'commander';
import { pipelineDown } from '../../deploy/local/pipeline/down.ts';
import { pipelineUp } from '../../deploy/local/pipeline/up.ts';
import { loadConfig } from '../../system/config.ts';

/** `cdnfaas up` / `cdnfaas down`: the whole pipeline on this machine (what `npm run up` runs). */
export function register(program: Command): void {
  program
    .command('up')
    .description(
      'services, sample data, training, build, gateway, deploy, connector, replay; prints the dashboard URL',
    )
    .option('--no-replay', 'leave the pipeline running without replaying the sample data')
    .option('--rows <n>', 'rows of sample data to generate on the first run', Number, 20_000)
    .action(async (options: { replay: boolean; rows: number }) => {
      const config = loadConfig();
      const started = Date.now();
      const { dashboardUrl } = await pipelineUp(config, { replay: options.replay, sampleRows: options.rows });
      console.log(`
cdnfaas is up (${((Date.now() - started) / 1000).toFixed(0)} s).

  dashboard:  ${dashboardUrl}
  gateway:    http://127.0.0.1:${config.gateway.port}   (npx cdnfaas credentials for faas-cli login)
  status:     npx cdnfaas status
  predict:    echo '{"sample_id":"6f1c2a4e-0b7d-5c3e-9a1f-2d4b6c8e0f13","channel_id":3,"timestamp":"2088-05-17T13:02:08Z","host_id":120,"content_type":2,"protocol":1,"content_id":-1,"geo_location":4411,"user_id":13}' \\
                | faas-cli invoke predict --gateway http://127.0.0.1:${config.gateway.port}
              (or: curl -H 'content-type: application/json' -d @- http://127.0.0.1:${config.gateway.port}/function/predict)
  replay:     npx cdnfaas replay FILE.csv --speed 60
  stop:       npm run down`);
    });

  program
    .command('down')
    .description('stop the connector, the gateway (and its replicas) and the services that `up` started')
    .action(async () => {
      await pipelineDown(loadConfig(), (line) => console.log(line));
    });
}
