import type { Command } from 'commander';
import * as build from './build.ts';
import * as connector from './connector.ts';
import * as credentials from './credentials.ts';
import * as gateway from './gateway.ts';
import * as generateData from './generate-data.ts';
import * as images from './images.ts';
import * as replay from './replay.ts';
import * as services from './services.ts';
import * as train from './train.ts';
import * as up from './up.ts';
import * as k8s from './k8s.ts';
import * as lint from './lint.ts';
import * as models from './models.ts';
import * as status from './status.ts';

export interface CommandModule {
  register(program: Command): void;
}

/** Every top-level command, one module each. */
export const commandModules: CommandModule[] = [
  replay,
  generateData,
  services,
  lint,
  build,
  images,
  train,
  models,
  gateway,
  credentials,
  connector,
  k8s,
  status,
  up,
];
