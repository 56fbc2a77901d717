import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { CdnfaasError } from '../../lib/errors.ts';
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
    .option(
      '--data <csv>',
      'train the model on this CSV (header as the published data) instead of the generated sample data',
    )
    .action(async (options: { replay: boolean; rows: number; data?: string }) => {
      if (options.data !== undefined && !existsSync(options.data))
        throw new CdnfaasError('INVALID_INPUT', `--data ${options.data}: file does not exist`, {
          hint: 'give the path of a training CSV, e.g. ../shared/data/train_cdn.csv',
        });
      const config = loadConfig();
      const started = Date.now();
      const { dashboardUrl } = await pipelineUp(config, {
        replay: options.replay,
        sampleRows: options.rows,
        trainingData: options.data,
      });
      console.log(`
cdnfaas is up (${((Date.now() - started) / 1000).toFixed(0)} s).

  dashboard:  ${dashboardUrl}${config.secure ? '   (secure mode: log in with the gateway credentials, npx cdnfaas credentials)' : ''}
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
