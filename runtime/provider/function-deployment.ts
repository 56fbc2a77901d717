import { rmSync } from 'node:fs';
import { CdnfaasError } from '../../lib/errors.ts';
import type { Logger } from '../../lib/logger.ts';
import { replicaEnv, type ResolvedImage } from '../images/types.ts';
import type { RestartPolicy } from '../../lib/backoff.ts';
import type { FunctionLog } from './function-log.ts';
import { Replica, type HealthPolicy } from './replica.ts';
import { planRollout } from './rollout.ts';
import type { FunctionSpec, FunctionStatus } from '../../contracts/openfaas/function.ts';
import { functionStatusOf } from './deployment-status.ts';
import { leastBusyReplica, takeForCall } from './replica-picking.ts';
import { ReplicaWaiters } from './replica-waiters.ts';
import type { InvokeTarget } from './types.ts';

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

/**
 * One function: its spec, its revisions and their replicas. Every change (deploy, scale, a replica
 * becoming ready or crashing) runs the same reconcile step, which applies `planRollout`. Replica
 * picking (replica-picking.ts), the waiting requests (replica-waiters.ts) and the status
 * (deployment-status.ts) are apart.
 */
export class FunctionDeployment {
  readonly createdAt = new Date();
  desired: number;
  invocationCount = 0;
  private readonly revisions = new Map<number, Revision>();
  private current = 0;
  private stable: number | undefined;
  private readonly replicas: Replica[] = [];
  private readonly waiters: ReplicaWaiters;
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
    this.waiters = new ReplicaWaiters(spec.name);
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
    const replica = leastBusyReplica(this.replicas, this.cursor);
    if (replica === undefined) return undefined;
    this.cursor = (this.cursor + 1) % Math.max(this.replicas.length, 1);
    return takeForCall(replica);
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
    return this.waiters.wait(timeoutMs, signal);
  }

  status(): FunctionStatus {
    return functionStatusOf(this.spec, {
      invocationCount: this.invocationCount,
      replicas: this.desired,
      availableReplicas: this.replicas.filter((replica) => replica.state === 'ready').length,
      createdAt: this.createdAt,
    });
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
    this.waiters.rejectAll(new CdnfaasError('NOT_FOUND', `function ${this.name} was removed`));
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
    if (replica.state === 'ready') this.waiters.wake(() => this.pick());
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
