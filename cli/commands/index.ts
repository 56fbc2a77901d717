import type { Command } from 'commander';

export interface CommandModule {
  register(program: Command): void;
}

/** Every top-level command, one module each. */
export const commandModules: CommandModule[] = [];
