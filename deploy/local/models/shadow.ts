// `cdnfaas models shadow|promote|drop`: a candidate model beside the live predict, then either
// in its place or gone. The deployments are built in shadow-plan.ts; this does the I/O in order.
import type { Admin } from 'kafkajs';
import { groupIdFor } from '../../../contracts/kafka-names.ts';
import { CdnfaasError } from '../../../lib/errors.ts';
import type { GatewayAccess } from '../pipeline/deploy-stack.ts';
import { deploy, getFunction, removeFunction, waitForImage } from './gateway-functions.ts';
import { dropShadowStream, prepareShadowStream } from './shadow-kafka.ts';
import {
  annotationKeys,
  candidateOf,
  promotedDeployment,
  shadowDeployment,
  shadowNameFor,
  type Candidate,
  type DeployedFunction,
} from './shadow-plan.ts';

export interface ShadowContext {
  access: GatewayAccess;
  admin: Admin;
  /** The live function, `predict` unless told otherwise. */
  live: string;
  log?: (line: string) => void;
}

async function liveFunction(context: ShadowContext): Promise<DeployedFunction> {
  const live = await getFunction(context.access, context.live);
  if (live === undefined)
    throw new CdnfaasError('NOT_FOUND', `${context.live} is not deployed at ${context.access.url}`, {
      hint: 'start the pipeline first: npm run up',
    });
  return live;
}

/** The deployed shadow of the live function, or a NOT_FOUND naming the command that starts one. */
export async function currentShadow(context: ShadowContext): Promise<{ shadow: DeployedFunction; candidate: Candidate }> {
  const shadow = await getFunction(context.access, shadowNameFor(context.live));
  if (shadow === undefined)
    throw new CdnfaasError('NOT_FOUND', `no shadow of ${context.live} is running`, {
      hint: 'start one: npx cdnfaas models shadow <predict image>, e.g. from npx cdnfaas images',
    });
  return { shadow, candidate: candidateOf(shadow, context.live) };
}

function outputsOf(fn: DeployedFunction): string[] {
  return (fn.annotations?.[annotationKeys.output] ?? '').split(',').filter((topic) => topic !== '');
}

/** Deploys `candidate` as the shadow of the live function and waits until it is ready. */
export async function startShadow(context: ShadowContext, candidate: Candidate): Promise<DeployedFunction> {
  const live = await liveFunction(context);
  const deployment = shadowDeployment(live, candidate);
  const existing = await getFunction(context.access, deployment.service);
  if (existing !== undefined && existing.image !== candidate.ref)
    throw new CdnfaasError('CONFLICT', `${deployment.service} already runs ${existing.image}`, {
      hint: 'promote or drop it first: npx cdnfaas models promote | npx cdnfaas models drop',
    });
  if (existing !== undefined) {
    context.log?.(`${deployment.service} already runs ${candidate.model} (${candidate.ref})`);
    return existing;
  }
  const liveOutputs = outputsOf(live);
  await prepareShadowStream(context.admin, {
    input: live.annotations![annotationKeys.topic]!,
    liveGroup: groupIdFor(live.name),
    shadowGroup: groupIdFor(deployment.service),
    outputs: outputsOf({ name: deployment.service, image: '', annotations: deployment.annotations }).map((shadow, i) => ({
      live: liveOutputs[i]!,
      shadow,
    })),
  });
  await deploy(context.access, deployment);
  await waitForImage(context.access, deployment.service, candidate.ref);
  context.log?.(
    `${deployment.service} runs ${candidate.model} (${candidate.ref}) on ${deployment.annotations[annotationKeys.topic]} -> ${deployment.annotations[annotationKeys.output]}, consumer group ${groupIdFor(deployment.service)}`,
  );
  return { name: deployment.service, image: deployment.image, annotations: deployment.annotations };
}

/** Removes the shadow, its consumer group and its output topics. */
export async function dropShadow(context: ShadowContext): Promise<Candidate> {
  const { shadow, candidate } = await currentShadow(context);
  await removeFunction(context.access, shadow.name);
  await dropShadowStream(context.admin, { shadowGroup: groupIdFor(shadow.name), shadowTopics: outputsOf(shadow) });
  context.log?.(`dropped ${shadow.name} (${candidate.model}); ${context.live} is unchanged`);
  return candidate;
}

/**
 * Deploys the shadow's image as the live function, every other setting as it is, waits for the
 * rollout (the gateway rolls replicas without dropping calls), then drops the shadow.
 */
export async function promoteShadow(context: ShadowContext): Promise<Candidate> {
  const { candidate } = await currentShadow(context);
  const live = await liveFunction(context);
  await deploy(context.access, promotedDeployment(live, candidate));
  await waitForImage(context.access, context.live, candidate.ref);
  context.log?.(`${context.live} now runs ${candidate.model} (${candidate.ref})`);
  await dropShadow(context);
  return candidate;
}
