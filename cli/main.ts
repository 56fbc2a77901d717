import { Command, CommanderError } from 'commander';
import { isCdnfaasError } from '../lib/errors.ts';
import { commandModules } from './commands/index.ts';
import { registerSystemMode } from './system-mode.ts';

const program = new Command('cdnfaas')
  .description('Real-time clustering of CDN client-error records on OpenFaaS, Kafka and InfluxDB')
  .showHelpAfterError()
  .exitOverride();

registerSystemMode(program);
for (const module of commandModules) module.register(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) process.exit(error.exitCode);
  if (isCdnfaasError(error)) {
    console.error(`cdnfaas: ${error.describe()}`);
    process.exit(1);
  }
  console.error('cdnfaas: unexpected failure', error);
  process.exit(1);
}
