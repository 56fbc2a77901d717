import { CdnfaasError } from '../../../lib/errors.ts';

/**
 * Shadow, then promote: a candidate model runs beside the live predict on the same input topic,
 * as a function of its own (`<live>-shadow`, so its own consumer group `cdnfaas-<live>-shadow`)
 * whose outputs go to `<live output>_shadow` and never to the live output. Promoting deploys
 * the candidate's image as the live function with every other setting kept; dropping removes
 * the shadow. Pure: these build the deployments from the live function's status.
 */

/** The gateway's view of a function, as GET /system/function/{name} answers (fields used here). */
export interface DeployedFunction {
  name: string;
  image: string;
  envProcess?: string;
  envVars?: Record<string, string>;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  secrets?: string[];
  constraints?: string[];
  limits?: Record<string, string> | null;
  requests?: Record<string, string> | null;
  readOnlyRootFilesystem?: boolean;
}

/** The candidate: an image in the store and the model it carries (`name@version`). */
export interface Candidate {
  ref: string;
  model: string;
}

export const annotationKeys = {
  topic: 'topic',
  output: 'cdnfaas.output',
  model: 'cdnfaas.model',
  /** On a shadow: the live function it shadows. */
  shadowOf: 'cdnfaas.shadow-of',
} as const;

export function shadowNameFor(live: string): string {
  return `${live}-shadow`;
}

export function shadowTopicFor(output: string): string {
  return `${output}_shadow`;
}

/** The FunctionDeployment body of a function (what faas-cli deploy sends). */
export function deploymentOf(fn: DeployedFunction) {
  return {
    service: fn.name,
    image: fn.image,
    envProcess: fn.envProcess ?? '',
    envVars: fn.envVars ?? {},
    labels: fn.labels ?? {},
    annotations: fn.annotations ?? {},
    secrets: fn.secrets ?? [],
    constraints: fn.constraints ?? [],
    limits: fn.limits ?? null,
    requests: fn.requests ?? null,
    readOnlyRootFilesystem: fn.readOnlyRootFilesystem ?? false,
  };
}

export type Deployment = ReturnType<typeof deploymentOf>;

function outputsOf(fn: DeployedFunction): string[] {
  return (fn.annotations?.[annotationKeys.output] ?? '')
    .split(',')
    .map((topic) => topic.trim())
    .filter((topic) => topic !== '');
}

/**
 * The shadow of `live` running `candidate`: same input topic, settings and scaling, its own name
 * and shadow output topics. Refuses a live function that reads no topic or writes none.
 */
export function shadowDeployment(live: DeployedFunction, candidate: Candidate): Deployment {
  const topic = live.annotations?.[annotationKeys.topic];
  const outputs = outputsOf(live);
  if (topic === undefined || outputs.length === 0)
    throw new CdnfaasError(
      'INVALID_INPUT',
      `${live.name} reads no topic or writes no output topic: there is no stream to shadow`,
      { hint: 'shadow a Kafka-triggered function such as predict (annotations topic and cdnfaas.output)' },
    );
  const shadowOutputs = outputs.map(shadowTopicFor);
  return deploymentOf({
    ...live,
    name: shadowNameFor(live.name),
    image: candidate.ref,
    annotations: {
      ...live.annotations,
      [annotationKeys.output]: shadowOutputs.join(','),
      [annotationKeys.model]: candidate.model,
      [annotationKeys.shadowOf]: live.name,
    },
  });
}

/** The live function running the candidate: only the image and the model annotation change. */
export function promotedDeployment(live: DeployedFunction, candidate: Candidate): Deployment {
  return deploymentOf({
    ...live,
    image: candidate.ref,
    annotations: { ...live.annotations, [annotationKeys.model]: candidate.model },
  });
}

/** The candidate a deployed shadow runs, checked to be a shadow of `live`. */
export function candidateOf(shadow: DeployedFunction, live: string): Candidate {
  const shadowOf = shadow.annotations?.[annotationKeys.shadowOf];
  const model = shadow.annotations?.[annotationKeys.model];
  if (shadowOf !== live || model === undefined)
    throw new CdnfaasError('CONFLICT', `${shadow.name} is not a shadow of ${live}`, {
      hint: `it has no ${annotationKeys.shadowOf}: ${live} annotation; start one with npx cdnfaas models shadow <image>`,
    });
  return { ref: shadow.image, model };
}
