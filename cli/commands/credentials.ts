import type { Command } from 'commander';
import { ensureCredentials } from '../../runtime/gateway/credentials.ts';
import { loadConfig } from '../../system/config.ts';
import { librdkafkaProperties } from '../../system/kafka-properties.ts';

/** `cdnfaas credentials`: what faas-cli needs to log in to the local gateway; the password itself is never printed. */
export function register(program: Command): void {
  program
    .command('credentials')
    .description('print the gateway URL, user and password file for faas-cli login (creates them if missing)')
    .option('--json', 'print JSON')
    .option(
      '--kafka',
      "print Kafka's connection as a librdkafka properties file, the tools user's password included (kcat -F FILE)",
    )
    .action((options: { json?: boolean; kafka?: boolean }) => {
      const config = loadConfig();
      if (options.kafka) {
        process.stdout.write(librdkafkaProperties(config));
        return;
      }
      const credentials = ensureCredentials(config.home);
      const gatewayUrl = `http://127.0.0.1:${config.gateway.port}`;
      const login = `faas-cli login --gateway ${gatewayUrl} --username ${credentials.user} --password-stdin < ${credentials.files.passwordFile}`;
      if (options.json) {
        console.log(
          JSON.stringify(
            {
              gateway: gatewayUrl,
              user: credentials.user,
              passwordFile: credentials.files.passwordFile,
              login,
            },
            null,
            2,
          ),
        );
        return;
      }
      console.log(`gateway:       ${gatewayUrl}`);
      console.log(`user:          ${credentials.user}`);
      console.log(`password file: ${credentials.files.passwordFile}`);
      console.log(`log in with:   ${login}`);
    });
}
