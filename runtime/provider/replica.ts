import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { Pool } from 'undici';
import type { Logger } from '../../lib/logger.ts';
import { mountNamespaceSupport, planLaunch } from '../build/classic-launch.ts';
import { replicaEnv, replicaHealthPath, type ResolvedImage } from '../images/types.ts';
import { restartDelayMs, restartsAfterCrash, type RestartPolicy } from '../../lib/backoff.ts';
import { lineSplitter, type FunctionLog } from './function-log.ts';
import { freePort } from '../../lib/ports.ts';
import { probeHealth } from './probe.ts';
import type { SlotState } from './rollout.ts';

export interface HealthPolicy {
  /** Pause between probes while a replica starts, ms: short, it bounds the cold start. */
  startupIntervalMs: number;
  /** A replica not healthy this long after spawn is killed and restarted, ms. */
  startupTimeoutMs: number;
  /** Pause between probes of a ready replica, ms. */
  periodMs: number;
  /** One probe's deadline, ms. */
  timeoutMs: number;
  /** Consecutive failed probes that take a ready replica out of rotation. */
  failureThreshold: number;
}

export const defaultHealth: HealthPolicy = {
  startupIntervalMs: 5,
  startupTimeoutMs: 60_000,
  periodMs: 2_000,
  timeoutMs: 2_000,
  failureThreshold: 3,
};

export interface ReplicaOptions {
  instance: string;
  revision: number;
  index: number;
  image: ResolvedImage;
  /** The whole environment of the process except PORT. */
  env: Record<string, string>;
  /** Node flags placed before the entrypoint. */
  nodeArgs: string[];
  log: FunctionLog;
  logger: Logger;
  backoff: RestartPolicy;
  health: HealthPolicy;
  /** Keep-alive connections the gateway may open to this replica. */
  connections: number;
  onStateChange(replica: Replica): void;
}

/**
 * One replica slot: a `node <entrypoint>` child on its own port, health-checked, restarted with
 * backoff when it crashes (the slot and its instance name stay, as a Kubernetes pod does).
 */
export class Replica {
  state: SlotState | 'stopped' = 'starting';
  inFlight = 0;
  pool: Pool | undefined;
  origin = '';
  restarts = 0;
  private child: ChildProcess | undefined;
  private startedAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private failures = 0;
  private probing = false;
  private drained: (() => void) | undefined;
  private exited: (() => void) | undefined;

  constructor(readonly options: ReplicaOptions) {}

  /** The current process id; undefined between a crash and its restart. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  get instance(): string {
    return this.options.instance;
  }

  get revision(): number {
    return this.options.revision;
  }

  get index(): number {
    return this.options.index;
  }

  start(): void {
    void this.spawnProcess();
  }

  /** Takes one call; the caller must call `release` once. */
  take(): void {
    this.inFlight++;
  }

  release(): void {
    this.inFlight--;
    if (this.inFlight <= 0 && this.drained !== undefined) this.drained();
  }

  /**
   * A call could not talk to this replica: probe it at once, and take it out of rotation if it
   * does not answer, so calls stop going to a process that just died before its exit is seen.
   */
  suspect(): void {
    if (this.state !== 'ready' || this.probing) return;
    const port = Number(new URL(this.origin).port);
    this.probing = true;
    void probeHealth(port, replicaHealthPath, this.options.health.timeoutMs).then((healthy) => {
      this.probing = false;
      if (!healthy && this.state === 'ready') {
        this.options.log.append(
          this.instance,
          '[cdnfaas] replica did not answer after a failed call; out of rotation',
        );
        this.setState('unready');
      }
    });
  }

  /** Out of rotation, wait for in-flight calls (up to drainMs), then SIGTERM, then SIGKILL after killMs. */
  async stop(drainMs: number, killMs: number): Promise<void> {
    if (this.state === 'stopped') return;
    this.setState('stopping');
    clearTimeout(this.timer);
    if (this.inFlight > 0) {
      await new Promise<void>((resolve) => {
        const deadline = setTimeout(resolve, drainMs);
        this.drained = () => {
          clearTimeout(deadline);
          resolve();
        };
      });
    }
    const pool = this.pool;
    this.pool = undefined;
    await pool?.destroy().catch(() => {});
    await this.terminate(killMs);
    this.setState('stopped');
  }

  /** Kills the process at once; used when the gateway itself exits. */
  killNow(): void {
    if (this.child?.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  private async spawnProcess(): Promise<void> {
    const { image, env, log, instance } = this.options;
    const port = await freePort();
    if (this.state === 'stopping' || this.state === 'stopped') return;
    const entrypoint = join(image.dir, image.manifest.entrypoint);
    // Classic images get /var/openfaas/secrets in a mount namespace of their own (classic-launch.ts).
    const launch = planLaunch({
      lang: image.manifest.lang,
      command: process.execPath,
      args: [...this.options.nodeArgs, entrypoint],
      secretsDir: env[replicaEnv.secretsDir],
      support: mountNamespaceSupport,
    });
    if (launch.notice !== undefined) log.append(instance, launch.notice);
    const child = spawn(launch.command, launch.args, {
      cwd: image.dir,
      env: { ...env, [replicaEnv.port]: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group: a Ctrl-C in the gateway's terminal reaches the gateway only,
      // which then drains and stops the replicas in order.
      detached: true,
    });
    this.child = child;
    this.startedAt = Date.now();
    this.origin = `http://127.0.0.1:${port}`;
    this.failures = 0;
    for (const stream of [child.stdout, child.stderr]) {
      const splitter = lineSplitter((line) => log.append(instance, line));
      stream?.on('data', (chunk: Buffer) => splitter.push(chunk));
      stream?.on('end', () => splitter.flush());
    }
    child.on('error', (error) => log.append(instance, `[cdnfaas] replica could not start: ${error.message}`));
    child.on('exit', (code, signal) => this.onExit(child, code, signal));
    this.options.logger.debug({ instance, port, pid: child.pid }, 'replica spawned');
    this.setState('starting');
    this.scheduleStartupProbe(port);
  }

  private scheduleStartupProbe(port: number): void {
    const { health } = this.options;
    this.timer = setTimeout(async () => {
      if (this.state !== 'starting') return;
      const healthy = await probeHealth(port, replicaHealthPath, health.timeoutMs);
      if (this.state !== 'starting') return;
      if (healthy) {
        this.pool = new Pool(this.origin, {
          connections: this.options.connections,
          pipelining: 1,
          keepAliveTimeout: 4_000,
        });
        this.options.logger.info(
          { instance: this.instance, startMs: Date.now() - this.startedAt },
          'replica ready',
        );
        this.setState('ready');
        this.scheduleLivenessProbe(port);
      } else if (Date.now() - this.startedAt > health.startupTimeoutMs) {
        this.options.log.append(
          this.instance,
          `[cdnfaas] replica not healthy after ${health.startupTimeoutMs} ms; killing it`,
        );
        this.child?.kill('SIGKILL');
      } else {
        this.scheduleStartupProbe(port);
      }
    }, health.startupIntervalMs);
  }

  private scheduleLivenessProbe(port: number): void {
    const { health } = this.options;
    this.timer = setTimeout(async () => {
      if (this.state !== 'ready' && this.state !== 'unready') return;
      const healthy = await probeHealth(port, replicaHealthPath, health.timeoutMs);
      if (this.state !== 'ready' && this.state !== 'unready') return;
      this.failures = healthy ? 0 : this.failures + 1;
      if (healthy && this.state === 'unready') this.setState('ready');
      if (this.failures >= health.failureThreshold && this.state === 'ready') {
        this.options.log.append(
          this.instance,
          `[cdnfaas] replica failed ${this.failures} health checks; out of rotation`,
        );
        this.setState('unready');
      }
      this.scheduleLivenessProbe(port);
    }, health.periodMs);
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (child !== this.child) return;
    this.child = undefined;
    clearTimeout(this.timer);
    if (this.state === 'stopping' || this.state === 'stopped') {
      this.exited?.();
      return;
    }
    const uptimeMs = Date.now() - this.startedAt;
    this.restarts = restartsAfterCrash(this.options.backoff, this.restarts, uptimeMs);
    const delay = restartDelayMs(this.options.backoff, this.restarts);
    this.restarts++;
    const cause = signal === null ? `exit code ${code}` : `signal ${signal}`;
    this.options.log.append(
      this.instance,
      `[cdnfaas] replica exited unexpectedly (${cause}) after ${uptimeMs} ms; restart ${this.restarts} in ${delay} ms`,
    );
    this.options.logger.warn(
      { instance: this.instance, code, signal, uptimeMs, restartInMs: delay },
      'replica crashed',
    );
    const pool = this.pool;
    this.pool = undefined;
    void pool?.destroy().catch(() => {});
    this.setState('backoff');
    this.timer = setTimeout(() => {
      if (this.state === 'backoff') void this.spawnProcess();
    }, delay);
  }

  private async terminate(killMs: number): Promise<void> {
    const child = this.child;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => (this.exited = resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), killMs);
    await exited;
    clearTimeout(timer);
  }

  private setState(state: Replica['state']): void {
    if (this.state === state) return;
    this.state = state;
    this.options.onStateChange(this);
  }
}
