import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { defaultMaxReplicas } from '../../contracts/openfaas/settings.ts';
import { CdnfaasError } from '../../lib/errors.ts';
import type { Logger } from '../../lib/logger.ts';
import { isMutableReference, parseImageReference } from '../images/reference.ts';
import { replicaEnv, type ImageResolver, type ResolvedImage } from '../images/types.ts';
import { defaultRestartPolicy, type RestartPolicy } from '../../lib/backoff.ts';
import { FunctionDeployment, type Revision } from './function-deployment.ts';
import { FunctionLog } from './function-log.ts';
import { defaultHealth, type HealthPolicy } from './replica.ts';
import { nodeArgsForLimits } from './resources.ts';
import { initialReplicas, minReplicasLabel, needsRollout, withProviderLabels } from './deployment-rules.ts';
import type { SecretStore } from './secret-store.ts';
import { readSavedFunctions, writeSavedFunctions } from './state-file.ts';
import {
  defaultNamespace,
  type FunctionSpec,
  type FunctionStatus,
} from '../../contracts/openfaas/function.ts';
import {
  type AcquireOptions,
  type FunctionProvider,
  type InvokeTarget,
  type LogQuery,
  type LogStream,
} from './types.ts';

export interface ProcessProviderOptions {
  /** Folder for per-revision state (secret copies) and function log files. */
  stateDir: string;
  images: ImageResolver;
  secrets: SecretStore;
  logger: Logger;
  /** Environment every replica inherits before the function's own envVars. */
  baseEnv: Record<string, string>;
  backoff?: RestartPolicy;
  health?: Partial<HealthPolicy>;
  /** How long a stopping replica may finish its in-flight calls, ms. */
  drainTimeoutMs?: number;
  /** Grace between SIGTERM and SIGKILL, ms. */
  killTimeoutMs?: number;
  /**
   * Upper bound of replicas per function, whatever a scale request asks. The default is
   * com.openfaas.scale.max's, so a function without the label can reach its maximum.
   */
  maxReplicas?: number;
  /** Log messages kept in memory per function. */
  logCapacity?: number;
  maxLogFileBytes?: number;
  /** Keep-alive connections per replica. */
  connections?: number;
  /** Where the deployed functions are saved for the next start; nothing is saved when absent. */
  stateFile?: string;
}

/** Runs each replica as a child process; see FunctionDeployment for the rollout and Replica for one process. */
export class ProcessProvider implements FunctionProvider {
  private readonly functions = new Map<string, FunctionDeployment>();
  private readonly functionLogs = new Map<string, FunctionLog>();
  private readonly maxReplicas: number;
  private restoring = false;

  constructor(private readonly options: ProcessProviderOptions) {
    this.maxReplicas = options.maxReplicas ?? defaultMaxReplicas;
  }

  async deploy(requested: FunctionSpec): Promise<void> {
    const spec = withProviderLabels(requested);
    if (this.functions.has(spec.name)) {
      throw new CdnfaasError('CONFLICT', `function ${spec.name} already exists`, {
        hint: 'update it with PUT /system/functions (faas-cli deploy does this), or remove it first',
      });
    }
    const image = this.resolveImage(spec);
    const desired = initialReplicas(spec.labels, this.maxReplicas);
    const revision = this.createRevision(spec, image, 1);
    const log = this.functionLog(spec.name);
    const deployment = new FunctionDeployment(spec, revision, desired, {
      logger: this.options.logger.child({ function: spec.name }),
      log,
      backoff: this.options.backoff ?? defaultRestartPolicy,
      health: { ...defaultHealth, ...this.options.health },
      connections: this.options.connections ?? 64,
      drainTimeoutMs: this.options.drainTimeoutMs ?? 30_000,
      killTimeoutMs: this.options.killTimeoutMs ?? 5_000,
    });
    this.functions.set(spec.name, deployment);
    this.save();
    this.options.logger.info(
      { function: spec.name, image: image.ref, digest: image.digest, replicas: desired },
      'function deployed',
    );
  }

  async update(requested: FunctionSpec): Promise<void> {
    const spec = withProviderLabels(requested);
    const deployment = this.require(spec.name);
    const image = this.resolveImage(spec);
    const previous = deployment.currentRevision;
    const secretsDigest = this.options.secrets.digest(spec.secrets);
    const roll = needsRollout(
      { spec: deployment.spec, imageDigest: previous.image.digest, secretsDigest: previous.secretsDigest },
      { spec, imageDigest: image.digest, secretsDigest },
    );
    const revision = roll ? this.createRevision(spec, image, previous.number + 1) : undefined;
    deployment.apply(spec, revision);
    const minimum =
      spec.labels[minReplicasLabel] === undefined ? 0 : initialReplicas(spec.labels, this.maxReplicas);
    if (deployment.desired < minimum) deployment.scale(minimum);
    this.save();
    this.options.logger.info(
      { function: spec.name, image: image.ref, digest: image.digest, rollingUpdate: roll },
      'function updated',
    );
  }

  async remove(name: string): Promise<void> {
    const deployment = this.require(name);
    this.functions.delete(name);
    this.save();
    await deployment.remove();
    this.functionLogs.get(name)?.close();
    this.functionLogs.delete(name);
    this.options.logger.info({ function: name }, 'function removed');
  }

  async scale(name: string, replicas: number): Promise<void> {
    const deployment = this.require(name);
    if (!Number.isInteger(replicas) || replicas < 0 || replicas > this.maxReplicas) {
      throw new CdnfaasError(
        'INVALID_INPUT',
        `replicas must be a whole number from 0 to ${this.maxReplicas}, got ${replicas}`,
        {
          hint: 'the local runtime caps replicas per function; raise maxReplicas in the gateway options for more',
        },
      );
    }
    if (replicas !== deployment.desired)
      this.options.logger.info({ function: name, from: deployment.desired, to: replicas }, 'function scaled');
    deployment.scale(replicas);
    this.save();
  }

  /**
   * Deploys again the functions saved by an earlier run, at their replica counts. A function whose
   * image or secret is gone is skipped with a log line naming why; the others start.
   */
  async restore(): Promise<string[]> {
    if (this.options.stateFile === undefined) return [];
    const restored: string[] = [];
    this.restoring = true;
    try {
      for (const saved of readSavedFunctions(this.options.stateFile)) {
        try {
          await this.deploy(saved.spec);
          this.require(saved.spec.name).scale(saved.replicas);
          restored.push(saved.spec.name);
        } catch (error) {
          this.options.logger.warn({ function: saved.spec.name, err: error }, 'saved function not restored');
        }
      }
    } finally {
      this.restoring = false;
    }
    this.save();
    if (restored.length > 0) this.options.logger.info({ functions: restored }, 'functions restored');
    return restored;
  }

  list(): FunctionStatus[] {
    return [...this.functions.values()].map((deployment) => deployment.status());
  }

  get(name: string): FunctionStatus | undefined {
    return this.functions.get(name)?.status();
  }

  logs(query: LogQuery): LogStream {
    this.require(query.name);
    return this.functionLogs.get(query.name)!.stream(query);
  }

  tryAcquire(name: string): InvokeTarget | undefined {
    return this.functions.get(name)?.pick();
  }

  acquire(name: string, options: AcquireOptions): Promise<InvokeTarget> {
    try {
      return this.require(name).waitForReplica(options.timeoutMs, options.signal);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  recordInvocation(name: string): void {
    const deployment = this.functions.get(name);
    if (deployment !== undefined) deployment.invocationCount++;
  }

  /** Replica states of a function, for diagnostics and tests. */
  replicas(name: string): ReturnType<FunctionDeployment['replicaStates']> {
    return this.require(name).replicaStates();
  }

  async stop(): Promise<void> {
    const names = [...this.functions.keys()];
    const deployments = [...this.functions.values()];
    this.functions.clear();
    await Promise.all(deployments.map((deployment) => deployment.remove()));
    for (const name of names) this.functionLogs.get(name)?.close();
    this.functionLogs.clear();
  }

  /** SIGKILLs every replica synchronously: for process 'exit', when no await is possible. */
  killAll(): void {
    for (const deployment of this.functions.values()) deployment.killNow();
  }

  private save(): void {
    if (this.options.stateFile === undefined || this.restoring) return;
    const functions = [...this.functions.values()].map((deployment) => ({
      spec: deployment.spec,
      replicas: deployment.desired,
    }));
    try {
      writeSavedFunctions(this.options.stateFile, functions);
    } catch (error) {
      this.options.logger.error(
        { err: error, file: this.options.stateFile },
        'could not save the deployed functions',
      );
    }
  }

  private require(name: string): FunctionDeployment {
    const deployment = this.functions.get(name);
    if (deployment === undefined) {
      throw new CdnfaasError('NOT_FOUND', `function ${name} not found in namespace ${defaultNamespace}`, {
        hint: 'list the deployed functions with: faas-cli list',
        context: { function: name },
      });
    }
    return deployment;
  }

  private resolveImage(spec: FunctionSpec): ResolvedImage {
    const reference = parseImageReference(spec.image);
    if (isMutableReference(reference) && !this.restoring) {
      // Accepted, as OpenFaaS accepts it; but the tag moves with every build, so the earlier
      // content cannot be deployed again by name.
      const warning = `image ${spec.image} has a mutable tag: a rollback cannot name the content it replaces; tag each build (e.g. ${reference.name}:0.2.0)`;
      this.options.logger.warn({ function: spec.name, image: spec.image }, warning);
      this.functionLog(spec.name).append('gateway', `[cdnfaas] warning: ${warning}`);
    }
    const image = this.options.images.resolve(reference.ref);
    if (image === undefined) {
      throw new CdnfaasError('INVALID_INPUT', `image ${reference.ref} is not in the local image store`, {
        hint: `build it with: npx cdnfaas build --filter ${spec.name}`,
        context: { image: reference.ref, function: spec.name },
      });
    }
    return image;
  }

  private createRevision(spec: FunctionSpec, image: ResolvedImage, number: number): Revision {
    const dir = join(this.options.stateDir, 'functions', spec.name, `r${number}-${Date.now().toString(36)}`);
    const secretsDir = join(dir, 'secrets');
    const nodeArgs = nodeArgsForLimits(spec.limits);
    // The digest is taken from the same files the copies are made from, just before.
    const secretsDigest = this.options.secrets.digest(spec.secrets);
    this.options.secrets.grant(spec.secrets, secretsDir);
    mkdirSync(secretsDir, { recursive: true, mode: 0o700 });
    const env: Record<string, string> = {
      ...this.options.baseEnv,
      ...spec.envVars,
      ...(spec.envProcess === undefined ? {} : { fprocess: spec.envProcess }),
      [replicaEnv.functionName]: spec.name,
      [replicaEnv.imageRef]: image.ref,
      [replicaEnv.secretsDir]: secretsDir,
    };
    return { number, image, secretsDigest, env, dir, nodeArgs };
  }

  private functionLog(name: string): FunctionLog {
    let log = this.functionLogs.get(name);
    if (log === undefined) {
      log = new FunctionLog({
        name,
        namespace: defaultNamespace,
        capacity: this.options.logCapacity ?? 2_000,
        file: join(this.options.stateDir, 'logs', `${name}.log`),
        maxFileBytes: this.options.maxLogFileBytes ?? 10 * 1024 * 1024,
      });
      this.functionLogs.set(name, log);
    }
    return log;
  }
}
