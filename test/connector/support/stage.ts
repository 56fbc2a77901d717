import { uniqueName, type Harness } from './harness.ts';
import { createTopics } from './kafka.ts';

export interface StagePipeline {
  name: string;
  /** `<name>-in`, which the function reads. */
  input: string;
  /** `<name>-out`, where its outputs go. */
  output: string;
}

/**
 * The connector-stage function between two new topics of `partitions` partitions each, with
 * `replicas` replicas ready: the set-up of most connector scenarios.
 */
export async function deployStagePipeline(
  harness: Harness,
  prefix: string,
  options: {
    partitions: number;
    replicas: number;
    annotations?: Record<string, string>;
    envVars?: Record<string, string>;
  },
): Promise<StagePipeline> {
  const name = uniqueName(prefix);
  const input = `${name}-in`;
  const output = `${name}-out`;
  await createStageTopics(harness, name, options.partitions);
  await harness.deploy({
    name,
    image: 'cdnfaas/connector-stage:0.1.0',
    annotations: { topic: input, 'cdnfaas.output': output, ...options.annotations },
    labels: { 'com.openfaas.scale.min': String(options.replicas) },
    ...(options.envVars === undefined ? {} : { envVars: options.envVars }),
  });
  await harness.waitForReady(name, options.replicas);
  return { name, input, output };
}

/** `<name>-in` and `<name>-out`, of `partitions` partitions each: the two topics of one stage. */
export async function createStageTopics(harness: Harness, name: string, partitions: number): Promise<void> {
  await createTopics(harness.admin, [
    { topic: `${name}-in`, partitions },
    { topic: `${name}-out`, partitions },
  ]);
}
