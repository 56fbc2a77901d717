// Free loopback ports for an isolated system, so a chaos run never meets the shared services.
import { isPortFree } from '../deploy/local/ports.ts';
import { freePort } from '../lib/ports.ts';

export interface SystemPorts {
  /** The first Kafka node's broker and controller ports. */
  kafka: number;
  kafkaController: number;
  /** Every node's, the first included. */
  kafkaNodes: Array<{ broker: number; controller: number }>;
  /** InfluxDB also binds this + 2 (its backup RPC port). */
  influx: number;
  gateway: number;
  connector: number;
}

const free = (port: number) => isPortFree({ host: '127.0.0.1', port });

/** Distinct free ports (two per Kafka node), the InfluxDB one with its + 2 neighbour free as well. */
export async function pickSystemPorts(kafkaNodes = 1): Promise<SystemPorts> {
  const taken = new Set<number>();
  const next = async (needsNeighbour = false): Promise<number> => {
    for (let attempt = 0; attempt < 50; attempt++) {
      const port = await freePort();
      if (
        taken.has(port) ||
        (needsNeighbour && (port + 2 > 65535 || taken.has(port + 2) || !(await free(port + 2))))
      )
        continue;
      taken.add(port);
      if (needsNeighbour) taken.add(port + 2);
      return port;
    }
    throw new Error('no free loopback ports found after 50 attempts');
  };
  const nodes: SystemPorts['kafkaNodes'] = [];
  for (let i = 0; i < kafkaNodes; i++) nodes.push({ broker: await next(), controller: await next() });
  return {
    kafka: nodes[0]!.broker,
    kafkaController: nodes[0]!.controller,
    kafkaNodes: nodes,
    influx: await next(true),
    gateway: await next(),
    connector: await next(),
  };
}
