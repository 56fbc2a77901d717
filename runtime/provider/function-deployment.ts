import { rmSync } from 'node:fs';
import { CdnfaasError } from '../../lib/errors.ts';
import type { Logger } from '../../lib/logger.ts';
import { replicaEnv, type ResolvedImage } from '../images/types.ts';
import type { RestartPolicy } from '../../lib/backoff.ts';
import type { FunctionLog } from './function-log.ts';
import { Replica, type HealthPolicy } from './replica.ts';
import { planRollout } from './rollout.ts';
import {
  defaultNamespace,
  type FunctionSpec,
  type FunctionStatus,
} from '../../contracts/openfaas/function.ts';
import { type InvokeTarget } from './types.ts';

/** What one revision runs: an image and an environment (secrets included, as a folder). */
export interface Revision {
  number: number;
  image: ResolvedImage;
  /** Digest of the secrets' values this revision was given (SecretStore.digest). */
  secretsDigest: string;
  env: Record<string, string>;
  /** Flags before the entrypoint, e.g. the heap cap that honours limits.memory. */
  nodeArgs: string[];
  /** Folder holding this revision's copies of its secrets; removed with the revision. */
  dir: string;
}

export interface DeploymentOptions {
  logger: Logger;
  log: FunctionLog;
  backoff: RestartPolicy;
  health: HealthPolicy;
  connections: number;
  drainTimeoutMs: number;
  killTimeoutMs: number;
}

interface Waiter {
  resolve(target: InvokeTarget): void;
  reject(error: Error): void;
}

/**
 * One function: its spec, its revisions and their replicas. Every change (deploy, scale, a replica
 * becoming ready or crashing) runs the same reconcile step, which applies `planRollout`.
 */
export class FunctionDeployment {
  readonly createdAt = new Date();
  desired: number;
  invocationCount = 0;
  private readonly revisions = new Map<number, Revision>();
  private current = 0;
  private stable: number | undefined;
  private readonly replicas: Replica[] = [];
  private readonly waiters = new Set<Waiter>();
  private cursor = 0;
  private reconciling = false;
  private dirty = false;
  private removed = false;

  constructor(
    public spec: FunctionSpec,
    revision: Revision,
    desired: number,
    private readonly options: DeploymentOptions,
  ) {
    this.desired = desired;
    this.addRevision(revision);
  }

  get name(): string {
    return this.spec.name;
  }

  get currentRevision(): Revision {
    return this.revisions.get(this.current)!;
  }

  /** Replaces the spec; a new revision rolls the replicas over, none keeps them (the same spec again). */
  apply(spec: FunctionSpec, revision: Revision | undefined): void {
    this.spec = spec;
    if (revision !== undefined) this.addRevision(revision);
  }

  scale(replicas: number): void {
    this.desired = replicas;
    this.reconcile();
  }

  /** A ready replica with the fewest calls in flight, taken for one call. */
  pick(): InvokeTarget | undefined {
    let best: Replica | undefined;
    const count = this.replicas.length;
    for (let i = 0; i < count; i++) {
      const replica = this.replicas[(this.cursor + i) % count]!;
      if (replica.state !== 'ready' || replica.pool === undefined) continue;
      if (best === undefined || replica.inFlight < best.inFlight) best = replica;
    }
    if (best === undefined) return undefined;
    this.cursor = (this.cursor + 1) % Math.max(count, 1);
    best.take();
    const replica = best;
    let released = false;
    return {
      instance: replica.instance,
      dispatcher: replica.pool!,
      origin: replica.origin,
      release: () => {
        if (released) return;
        released = true;
        replica.release();
      },
      reportFailure: () => replica.suspect(),
    };
  }

  /** Waits until a replica is ready; scales from zero first when needed. */
  waitForReplica(timeoutMs: number, signal?: AbortSignal): Promise<InvokeTarget> {
    const ready = this.pick();
    if (ready !== undefined) return Promise.resolve(ready);
    if (this.desired === 0) {
      this.options.logger.info('scaling from zero for a waiting request');
      this.options.log.append('gateway', '[cdnfaas] scaling from zero to 1 for a waiting request');
      this.scale(1);
    }
    return new Promise<InvokeTarget>((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.waiters.delete(waiter);
      };
      const waiter: Waiter = {
        resolve: (target) => {
          done();
          resolve(target);
        },
        reject: (error) => {
          done();
          reject(error);
        },
      };
      const onAbort = (): void =>
        waiter.reject(
          new CdnfaasError(
            'TIMEOUT',
            `the request for ${this.name} was cancelled while waiting for a replica`,
          ),
        );
      const timer = setTimeout(
        () =>
          waiter.reject(
            new CdnfaasError(
              'SERVICE_UNHEALTHY',
              `no replica of ${this.name} became ready within ${timeoutMs} ms`,
              {
                hint: `see why with: faas-cli logs ${this.name} --tail=false`,
                context: { function: this.name, timeoutMs },
              },
            ),
          ),
        timeoutMs,
      );
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.add(waiter);
    });
  }

  status(): FunctionStatus {
    const { spec } = this;
    return {
      name: spec.name,
      image: spec.image,
      namespace: defaultNamespace,
      ...(spec.envProcess === undefined ? {} : { envProcess: spec.envProcess }),
      envVars: spec.envVars,
      constraints: spec.constraints,
      secrets: spec.secrets,
      labels: spec.labels,
      annotations: spec.annotations,
      ...(spec.limits === undefined ? {} : { limits: spec.limits }),
      ...(spec.requests === undefined ? {} : { requests: spec.requests }),
      readOnlyRootFilesystem: spec.readOnlyRootFilesystem,
      invocationCount: this.invocationCount,
      replicas: this.desired,
      availableReplicas: this.replicas.filter((replica) => replica.state === 'ready').length,
      createdAt: this.createdAt.toISOString(),
    };
  }

  /** Every replica with its state, for logs and tests. */
  replicaStates(): {
    instance: string;
    revision: number;
    state: string;
    inFlight: number;
    restarts: number;
    pid: number | undefined;
    origin: string;
  }[] {
    return this.replicas.map((r) => ({
      instance: r.instance,
      revision: r.revision,
      state: r.state,
      inFlight: r.inFlight,
      restarts: r.restarts,
      pid: r.pid,
      origin: r.origin,
    }));
  }

  /** Stops every replica (draining each) and fails the waiting requests. */
  async remove(): Promise<void> {
    this.removed = true;
    this.desired = 0;
    for (const waiter of this.waiters) {
      waiter.reject(new CdnfaasError('NOT_FOUND', `function ${this.name} was removed`));
    }
    await Promise.all(
      this.replicas.map((replica) => replica.stop(this.options.drainTimeoutMs, this.options.killTimeoutMs)),
    );
    for (const revision of this.revisions.values()) rmSync(revision.dir, { recursive: true, force: true });
    this.revisions.clear();
  }

  /** Kills every process at once (the gateway is exiting). */
  killNow(): void {
    for (const replica of this.replicas) replica.killNow();
  }

  private addRevision(revision: Revision): void {
    this.revisions.set(revision.number, revision);
    this.current = revision.number;
    this.options.log.append(
      'gateway',
      `[cdnfaas] revision ${revision.number}: ${revision.image.ref} (${revision.image.digest.slice(0, 19)})`,
    );
    this.reconcile();
  }

  private reconcile(): void {
    if (this.reconciling) {
      this.dirty = true;
      return;
    }
    this.reconciling = true;
    try {
      do {
        this.dirty = false;
        this.reconcileOnce();
      } while (this.dirty);
    } finally {
      this.reconciling = false;
    }
  }

  private reconcileOnce(): void {
    if (this.removed) return;
    const slots = this.replicas
      .filter((replica) => replica.state !== 'stopped')
      .map((replica) => ({
        id: replica.instance,
        revision: replica.revision,
        index: replica.index,
        state: replica.state as Exclude<Replica['state'], 'stopped'>,
      }));
    const plan = planRollout({ current: this.current, desired: this.desired, stable: this.stable, slots });
    if (plan.stable !== this.stable && plan.stable !== undefined) {
      this.options.logger.info({ revision: plan.stable }, 'revision rolled out');
    }
    this.stable = plan.stable;
    for (const id of plan.stop) {
      const replica = this.replicas.find((r) => r.instance === id);
      void replica?.stop(this.options.drainTimeoutMs, this.options.killTimeoutMs);
    }
    for (let i = 0; i < plan.start; i++) this.startReplica();
  }

  private startReplica(): void {
    const revision = this.currentRevision;
    const used = new Set(
      this.replicas
        .filter((r) => r.revision === revision.number && r.state !== 'stopped')
        .map((r) => r.index),
    );
    let index = 0;
    while (used.has(index)) index++;
    const instance = `${this.name}-r${revision.number}-${index}`;
    const replica = new Replica({
      instance,
      revision: revision.number,
      index,
      image: revision.image,
      env: { ...revision.env, [replicaEnv.replicaId]: instance },
      nodeArgs: revision.nodeArgs,
      log: this.options.log,
      logger: this.options.logger,
      backoff: this.options.backoff,
      health: this.options.health,
      connections: this.options.connections,
      onStateChange: (changed) => this.onReplicaChange(changed),
    });
    this.replicas.push(replica);
    replica.start();
  }

  private onReplicaChange(replica: Replica): void {
    if (replica.state === 'stopped') {
      this.replicas.splice(this.replicas.indexOf(replica), 1);
      this.pruneRevisions();
    }
    this.reconcile();
    if (replica.state === 'ready') this.wakeWaiters();
  }

  private wakeWaiters(): void {
    for (const waiter of this.waiters) {
      const target = this.pick();
      if (target === undefined) return;
      waiter.resolve(target);
    }
  }

  /** Drops revisions that are neither current nor stable and have no replica left. */
  private pruneRevisions(): void {
    for (const [number, revision] of this.revisions) {
      if (number === this.current || number === this.stable) continue;
      if (this.replicas.some((replica) => replica.revision === number)) continue;
      this.revisions.delete(number);
      rmSync(revision.dir, { recursive: true, force: true });
    }
  }
}
