import type { Command } from 'commander';
import * as generateData from './generate-data.ts';
import * as replay from './replay.ts';

export interface CommandModule {
  register(program: Command): void;
}

/** Every top-level command, one module each. */
export const commandModules: CommandModule[] = [replay, generateData];
