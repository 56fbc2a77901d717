import { Command, CommanderError } from 'commander';
import { registerConnectorCommand } from './command.ts';
import { isCdnfaasError } from '../../lib/errors.ts';

/**
 * The connector image's entrypoint (connectors/kafka/Dockerfile): `cdnfaas connector` and nothing
 * else of the CLI, so the bundle carries neither the gateway, training nor ONNX Runtime.
 */
const program = new Command('cdnfaas').exitOverride();
registerConnectorCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) process.exit(error.exitCode);
  console.error(isCdnfaasError(error) ? `cdnfaas: ${error.describe()}` : error);
  process.exit(1);
}
