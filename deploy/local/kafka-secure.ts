// What a node needs in secure mode, made on first use: the CA and broker certificate, the SCRAM
// users and their files, and the listener settings that name them.
import { join } from 'node:path';
import type { KafkaListenerSecurity } from './kafka-files.ts';
import { ensureKafkaTls } from './kafka-tls.ts';
import { addScramArguments, ensureKafkaUsers } from './kafka-users.ts';
import { withFileLock } from './lock.ts';

export interface SecureNode {
  listener: KafkaListenerSecurity;
  /** `kafka-storage format` arguments that create every user (they hold passwords: argument file only). */
  formatArguments: string[];
}

/** The nodes of a cluster start together: one of them makes the files, the others wait and read them. */
export async function prepareSecureNode(home: string, hosts: readonly string[]): Promise<SecureNode> {
  const { tls, users } = await withFileLock(
    join(home, 'kafka-secure.lock'),
    { timeoutMs: 120_000 },
    async () => ({
      tls: await ensureKafkaTls(home, hosts),
      users: ensureKafkaUsers(home),
    }),
  );
  const admin = users.find((user) => user.role === 'admin')!;
  return {
    listener: {
      keystorePem: tls.brokerKeystore,
      truststorePem: tls.caCert,
      interBrokerUser: admin.name,
      interBrokerPassword: admin.password,
    },
    formatArguments: addScramArguments(users),
  };
}
