import type { Command } from 'commander';
import { registerConnectorCommand } from '../../connectors/kafka/command.ts';

/** `cdnfaas connector`: defined by the connector itself, which its own image runs alone (main.ts). */
export function register(program: Command): void {
  registerConnectorCommand(program);
}
