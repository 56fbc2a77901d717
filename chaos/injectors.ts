// The edge of a chaos run: each planned fault done to the real processes of an isolated system.
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { servicesDown, servicesUp } from '../deploy/local/index.ts';
import { createKafkaService } from '../deploy/local/kafka-service.ts';
import { backgroundPaths } from '../deploy/local/pipeline/background.ts';
import { isPortFree } from '../deploy/local/ports.ts';
import { isAlive, readRecord, type RecordFiles } from '../deploy/local/processes.ts';
import type { Rng } from '../lib/prng.ts';
import { killActiveController, killPartitionLeader, rollingRestart } from './cluster-faults.ts';
import type { PlannedFault, StopSignal } from './plan.ts';
import type { IsolatedSystem } from './system.ts';

export interface InjectedFault {
  fault: PlannedFault;
  /** When it started, ms after the replay started. */
  startedAtMs: number;
  /** From the first blow to the part answering again, ms. */
  outageMs: number;
  /** skipped: nothing to do it to (no replica running); failed: the part did not come back. */
  outcome: 'done' | 'skipped' | 'failed';
  detail: string;
}

/** Pids of the replica processes of one function: children of the gateway process. */
export function replicaPids(gatewayPid: number, functionName: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent !== gatewayPid) continue;
      if (
        readFileSync(`/proc/${entry}/environ`, 'utf8')
          .split('\0')
          .includes(`CDNFAAS_FUNCTION=${functionName}`)
      )
        pids.push(Number(entry));
    } catch {
      // the process went away meanwhile
    }
  }
  return pids.sort((a, b) => a - b);
}

/**
 * kill -9 and wait until the process is gone and its ports are free. The ports matter: a JVM's
 * main thread shows as a zombie while its other threads still tear down and hold the sockets.
 */
async function killNine(files: RecordFiles, what: string, ports: number[]): Promise<number> {
  const record = readRecord(files);
  if (record === undefined || !isAlive(record.pid))
    throw new Error(`${what} is not running: nothing to kill`);
  process.kill(record.pid, 'SIGKILL');
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const free = await Promise.all(ports.map((port) => isPortFree({ host: '127.0.0.1', port })));
    if (!isAlive(record.pid) && free.every(Boolean)) return record.pid;
    await sleep(100);
  }
  throw new Error(`${what} (pid ${record.pid}) still holds its ports 30 s after kill -9`);
}

async function restartKafka(system: IsolatedSystem, signal: StopSignal): Promise<string> {
  const { config, env } = system;
  let how: string;
  if (signal === 'SIGKILL') {
    how = `killed pid ${await killNine(createKafkaService(config, { env }).run, 'Kafka', [system.ports.kafka, system.ports.kafkaController])}`;
  } else {
    await servicesDown(config, { only: ['kafka'], env });
    how = 'stopped';
  }
  await servicesUp(config, { only: ['kafka'], env });
  return `${how}, started again`;
}

async function stopInflux(system: IsolatedSystem, downMs: number): Promise<string> {
  const { config, env } = system;
  await servicesDown(config, { only: ['influxdb'], env });
  await sleep(downMs);
  await servicesUp(config, { only: ['influxdb'], env });
  return `down ${Math.round(downMs / 1000)} s, started again`;
}

async function restartConnector(system: IsolatedSystem, signal: StopSignal): Promise<string> {
  let how = 'stopped';
  if (signal === 'SIGKILL')
    how = `killed pid ${await killNine(backgroundPaths(system.config, 'connector'), 'the connector', [system.ports.connector])}`;
  else await system.stopConnector();
  await system.startConnector();
  return `${how}, started again`;
}

async function restartGateway(
  system: IsolatedSystem,
): Promise<{ outcome: 'done' | 'failed'; detail: string }> {
  await system.stopGateway();
  await system.startGateway();
  // The gateway runs the functions it had again from its state file; a stack deployed afresh
  // would hide a restart that forgot them.
  try {
    await system.waitForFunctions(60_000);
    return { outcome: 'done', detail: 'stopped (replicas drained), started, functions restored' };
  } catch (error) {
    await system.deployStack();
    return {
      outcome: 'failed',
      detail: `functions not restored (${(error as Error).message.split('\n')[0]}); deployed again`,
    };
  }
}

function killReplica(
  system: IsolatedSystem,
  functionName: string,
  rng: Rng,
): { outcome: 'done' | 'skipped'; detail: string } {
  const gateway = readRecord(backgroundPaths(system.config, 'gateway'));
  if (gateway === undefined || !isAlive(gateway.pid))
    return { outcome: 'skipped', detail: 'the gateway is not running' };
  const pids = replicaPids(gateway.pid, functionName);
  if (pids.length === 0) return { outcome: 'skipped', detail: 'no replica running' };
  const victim = pids[rng.int(pids.length)]!;
  try {
    process.kill(victim, 'SIGKILL');
  } catch {
    return { outcome: 'skipped', detail: `replica pid ${victim} exited first` };
  }
  return { outcome: 'done', detail: `killed pid ${victim} (1 of ${pids.length})` };
}

/** Does one fault and says how it went; a part that does not come back is a `failed` outcome, not a throw. */
export async function inject(
  system: IsolatedSystem,
  fault: PlannedFault,
  rng: Rng,
  startedAtMs: number,
): Promise<InjectedFault> {
  const began = performance.now();
  const finish = (outcome: InjectedFault['outcome'], detail: string): InjectedFault => ({
    fault,
    startedAtMs,
    outageMs: Math.round(performance.now() - began),
    outcome,
    detail,
  });
  try {
    switch (fault.kind) {
      case 'kill-replica': {
        const result = killReplica(system, fault.function, rng);
        return { ...finish(result.outcome, result.detail), outageMs: 0 };
      }
      case 'restart-kafka':
        return finish('done', await restartKafka(system, fault.signal));
      case 'stop-influxdb':
        return finish('done', await stopInflux(system, fault.downMs));
      case 'restart-gateway': {
        const result = await restartGateway(system);
        return finish(result.outcome, result.detail);
      }
      case 'restart-connector':
        return finish('done', await restartConnector(system, fault.signal));
      case 'kill-kafka-leader':
        return finish('done', await killPartitionLeader(system, fault.topic));
      case 'kill-kafka-controller':
        return finish('done', await killActiveController(system));
      case 'rolling-restart-kafka':
        return finish('done', await rollingRestart(system));
    }
  } catch (error) {
    return finish('failed', `${(error as Error).message.split('\n')[0]}`);
  }
}
