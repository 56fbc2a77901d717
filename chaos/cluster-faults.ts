// The faults of a local Kafka cluster (`--kafka-nodes 3`): kill -9 the leader of the busiest
// partition of a topic, kill -9 the active KRaft controller, restart every node in turn. Each
// waits until the node is back and every partition has all its replicas in sync again, so the
// next fault never takes a second copy of the same data.
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Admin } from 'kafkajs';
import { servicesUp } from '../deploy/local/index.ts';
import { createKafkaService } from '../deploy/local/kafka-service.ts';
import { isPortFree } from '../deploy/local/ports.ts';
import { isAlive, readRecord, removeRecord, stopProcess } from '../deploy/local/processes.ts';
import type { IsolatedSystem } from './system.ts';

const transitionToLeader = /\[RaftManager id=(\d+)\] Completed transition to Leader\(.*?\bepoch=(\d+)/;

/**
 * The active controller, from the nodes' logs: the node that last completed the transition to
 * Leader, i.e. the one with the highest epoch (a killed leader logs nothing more; its successor
 * is elected in a later epoch). kafkajs cannot ask (KRaft brokers answer a random broker as the
 * "controller" of a metadata response) and the quorum tool is not among the cached jars. Pure.
 */
export function activeControllerFromLogs(logs: readonly string[]): number | undefined {
  let best: { node: number; epoch: number } | undefined;
  for (const text of logs)
    for (const line of text.split('\n')) {
      const match = transitionToLeader.exec(line);
      if (!match) continue;
      const candidate = { node: Number(match[1]), epoch: Number(match[2]) };
      if (best === undefined || candidate.epoch > best.epoch) best = candidate;
    }
  return best?.node;
}

function nodeService(system: IsolatedSystem, nodeId: number) {
  return createKafkaService(system.config, { env: system.env }, nodeId);
}

function nodeIds(system: IsolatedSystem): number[] {
  return system.config.kafkaNodes.map((node) => node.id);
}

/** Waits until the process is gone and its ports are free (a JVM's sockets outlive its main thread). */
async function waitGone(system: IsolatedSystem, nodeId: number, pid: number): Promise<void> {
  const node = system.config.kafkaNodes[nodeId - 1]!;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const free = await Promise.all(
      [node.port, node.controllerPort].map((port) => isPortFree({ host: node.host, port })),
    );
    if (!isAlive(pid) && free.every(Boolean)) return;
    await sleep(100);
  }
  throw new Error(`Kafka node ${nodeId} (pid ${pid}) still holds its ports 30 s after it was stopped`);
}

/** Every partition of every topic led and fully replicated again. */
export async function waitForFullIsr(admin: Admin, replicas: number, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    try {
      const { topics } = await admin.fetchTopicMetadata();
      const short = topics.flatMap((topic) =>
        topic.partitions
          .filter((partition) => partition.leader < 0 || partition.isr.length < replicas)
          .map((partition) => `${topic.name}/${partition.partitionId}`),
      );
      if (short.length === 0) return;
      last = `${short.length} partitions short of ${replicas} in-sync replicas (${short.slice(0, 3).join(', ')})`;
    } catch (error) {
      last = (error as Error).message;
    }
    await sleep(500);
  }
  throw new Error(`replicas not back in sync within ${timeoutMs / 1000} s: ${last}`);
}

/** Stops one node (kill -9 or SIGTERM), starts it again and waits for the cluster to be whole. */
async function bounceNode(
  system: IsolatedSystem,
  nodeId: number,
  signal: 'SIGKILL' | 'SIGTERM',
): Promise<number> {
  const service = nodeService(system, nodeId);
  const record = readRecord(service.run);
  if (record === undefined || !isAlive(record.pid)) throw new Error(`Kafka node ${nodeId} is not running`);
  if (signal === 'SIGKILL') process.kill(record.pid, 'SIGKILL');
  else await stopProcess(record.pid, 60_000);
  await waitGone(system, nodeId, record.pid);
  removeRecord(service.run);
  await servicesUp(system.config, { only: ['kafka'], env: system.env });
  await waitForFullIsr(system.admin, Math.min(3, nodeIds(system).length));
  return record.pid;
}

/** The leader of the partition of `topic` with the most records. */
async function busiestPartitionLeader(
  admin: Admin,
  topic: string,
): Promise<{ partition: number; leader: number }> {
  const [offsets, metadata] = await Promise.all([
    admin.fetchTopicOffsets(topic),
    admin.fetchTopicMetadata({ topics: [topic] }),
  ]);
  const busiest = [...offsets].sort((a, b) => Number(b.high) - Number(a.high))[0]!;
  const partition = metadata.topics[0]!.partitions.find((p) => p.partitionId === busiest.partition)!;
  return { partition: busiest.partition, leader: partition.leader };
}

export async function killPartitionLeader(system: IsolatedSystem, topic: string): Promise<string> {
  const { partition, leader } = await busiestPartitionLeader(system.admin, topic);
  const pid = await bounceNode(system, leader, 'SIGKILL');
  return `node ${leader} led ${topic}/${partition}: killed pid ${pid}, started again, all replicas in sync`;
}

export async function killActiveController(system: IsolatedSystem): Promise<string> {
  const logs = nodeIds(system).map((id) => {
    try {
      return readFileSync(nodeService(system, id).run.logFile, 'utf8');
    } catch {
      return '';
    }
  });
  const controller = activeControllerFromLogs(logs);
  if (controller === undefined) throw new Error('no node has logged that it leads the KRaft quorum');
  const pid = await bounceNode(system, controller, 'SIGKILL');
  return `node ${controller} was the active controller: killed pid ${pid}, started again, all replicas in sync`;
}

export async function rollingRestart(system: IsolatedSystem): Promise<string> {
  const steps: string[] = [];
  for (const id of nodeIds(system)) {
    const started = performance.now();
    await bounceNode(system, id, 'SIGTERM');
    steps.push(`node ${id} ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  return `each stopped, started and back in sync: ${steps.join(', ')}`;
}
