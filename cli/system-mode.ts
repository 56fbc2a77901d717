// `--kafka-nodes N` and `--secure` on any command: they choose the system's mode for this command
// and every process it starts (the gateway, the connector), through the variables loadConfig
// reads, so `npm run up -- --kafka-nodes 3` and KAFKA_NODES=3 are one and the same. `up` and
// `services up` remember a mode given this way until `down` (system/mode.ts).
import { InvalidArgumentError, type Command } from 'commander';
import { loadConfig } from '../system/config.ts';
import { forgetMode, rememberMode } from '../system/mode.ts';

function nodeCount(value: string): string {
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1 || count > 9)
    throw new InvalidArgumentError(`"${value}" is not a node count from 1 to 9`);
  return String(count);
}

/** `up`, `services up`, ... as typed. */
function commandPath(command: Command): string {
  const names: string[] = [];
  for (let at: Command | null = command; at?.parent; at = at.parent) names.unshift(at.name());
  return names.join(' ');
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
    .hook('preAction', (_program, action) => {
      const { kafkaNodes, secure } = program.opts<{ kafkaNodes?: string; secure?: boolean }>();
      if (kafkaNodes !== undefined) process.env.KAFKA_NODES = kafkaNodes;
      if (secure === true) process.env.CDNFAAS_SECURE = 'true';
      const chosen = process.env.KAFKA_NODES !== undefined || process.env.CDNFAAS_SECURE !== undefined;
      const path = commandPath(action);
      if (chosen && (path === 'up' || path === 'services up')) {
        const config = loadConfig();
        rememberMode(config.home, { kafkaNodes: config.kafka.nodes, secure: config.secure });
      }
    })
    .hook('postAction', (_program, action) => {
      const path = commandPath(action);
      if (path === 'down' || path === 'services down') forgetMode(loadConfig().home);
    });
}
