// `--kafka-nodes N` and `--secure` on any command: they choose the system's mode for this command
// and every process it starts (the gateway, the connector), through the variables loadConfig
// reads, so `npm run up -- --kafka-nodes 3` and KAFKA_NODES=3 are one and the same.
import { InvalidArgumentError, type Command } from 'commander';

function nodeCount(value: string): string {
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1 || count > 9)
    throw new InvalidArgumentError(`"${value}" is not a node count from 1 to 9`);
  return String(count);
}

export function registerSystemMode(program: Command): void {
  program
    .option(
      '--kafka-nodes <n>',
      'start and use this many local Kafka nodes (KAFKA_NODES; default kafka.nodes in sources.yaml)',
      nodeCount,
    )
    .option(
      '--secure',
      'Kafka on SASL_SSL with SCRAM users, InfluxDB and the dashboard with credentials (CDNFAAS_SECURE)',
    )
    .hook('preAction', (command) => {
      const { kafkaNodes, secure } = command.opts<{ kafkaNodes?: string; secure?: boolean }>();
      if (kafkaNodes !== undefined) process.env.KAFKA_NODES = kafkaNodes;
      if (secure === true) process.env.CDNFAAS_SECURE = 'true';
    });
}
