// `npm run down`: stops what `npm run up` started, newest first, and nothing else.
import type { SystemConfig } from '../../../system/config.ts';
import { servicesDown } from '../down.ts';
import { stopBackground } from './background.ts';

export async function pipelineDown(config: SystemConfig, log: (line: string) => void): Promise<void> {
  for (const name of ['connector', 'gateway'] as const) {
    log(`${name}: ${await stopBackground(config, name)}`);
  }
  const reports = await servicesDown(config, {
    onProgress: (event) => log(`${event.service}: ${event.message}`),
  });
  for (const report of reports) log(`${report.service}: ${report.state}`);
}
