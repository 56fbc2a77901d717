// How every cdnfaas process reaches Kafka, from the system configuration: the brokers and, with
// SASL_SSL, the CA and the SCRAM credentials read from their files. lib/kafka.ts makes the
// clients; this decides what they connect with.
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { CdnfaasError } from '../lib/errors.ts';
import type { KafkaConnection } from '../lib/kafka.ts';
import type { SystemConfig } from './config.ts';

/** Who connects: the connector (and the services it runs), or a tool (replay, status, dashboard, chaos). */
export type KafkaClientRole = 'connector' | 'tools';

export interface KafkaSecurityFiles {
  protocol: 'SASL_SSL';
  mechanism: 'SCRAM-SHA-512';
  caFile: string;
  userFile: string;
  passwordFile: string;
}

type SecurityConfig = Pick<SystemConfig, 'kafka' | 'secure' | 'home'>;

/** Secure mode's files when sources.yaml names none: what `services up --secure` makes in the home. */
export function defaultSecurityFiles(home: string, role: KafkaClientRole | 'admin'): KafkaSecurityFiles {
  return {
    protocol: 'SASL_SSL',
    mechanism: 'SCRAM-SHA-512',
    caFile: join(home, 'kafka-tls', 'ca.crt'),
    userFile: join(home, 'credentials', `kafka-${role}.user`),
    passwordFile: join(home, 'credentials', `kafka-${role}.password`),
  };
}

/**
 * The security files a client of `role` uses, or undefined for PLAINTEXT. A kafka.security
 * section with SASL_SSL is used as written (relative paths under the home); otherwise secure mode
 * uses the files it made in the home, a user per role. Pure.
 */
export function kafkaSecurityFiles(
  config: SecurityConfig,
  role: KafkaClientRole = 'tools',
): KafkaSecurityFiles | undefined {
  const section = config.kafka.security;
  if (section?.protocol === 'SASL_SSL') {
    const defaults = defaultSecurityFiles(config.home, role);
    const under = (path: string | undefined, fallback: string) =>
      path === undefined ? fallback : isAbsolute(path) ? path : join(config.home, path);
    return {
      protocol: 'SASL_SSL',
      mechanism: 'SCRAM-SHA-512',
      caFile: under(section.caFile, defaults.caFile),
      userFile: under(section.userFile, defaults.userFile),
      passwordFile: under(section.passwordFile, defaults.passwordFile),
    };
  }
  return config.secure ? defaultSecurityFiles(config.home, role) : undefined;
}

function readSecretFile(file: string, what: string): string {
  if (!existsSync(file))
    throw new CdnfaasError('CONFIG_NOT_FOUND', `the Kafka ${what} file ${file} does not exist`, {
      hint: 'start Kafka in secure mode once (`npx cdnfaas services up --secure`) to make it, or fix kafka.security in system/sources.yaml',
    });
  const text = readFileSync(file, 'utf8').trim();
  if (text === '')
    throw new CdnfaasError('CONFIG_INVALID', `the Kafka ${what} file ${file} is empty`, {
      hint: 'write the value into the file, or delete it so that `services up --secure` makes it again',
    });
  return text;
}

/** The connection the system's clients share; in secure mode it reads the CA and credentials now. */
export function kafkaConnection(config: SecurityConfig, role: KafkaClientRole = 'tools'): KafkaConnection {
  const files = kafkaSecurityFiles(config, role);
  if (files === undefined) return { brokers: config.kafka.brokers };
  return {
    brokers: config.kafka.brokers,
    tlsCa: readSecretFile(files.caFile, 'CA certificate'),
    sasl: {
      mechanism: 'scram-sha-512',
      username: readSecretFile(files.userFile, 'user name'),
      password: readSecretFile(files.passwordFile, 'password'),
    },
  };
}
