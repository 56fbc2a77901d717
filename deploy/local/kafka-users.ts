// Secure mode's SCRAM users: `admin` for the brokers among themselves, `connector` for the
// connector and the services it runs, `tools` for everything else (replay, status, dashboard,
// chaos, kcat). Their names and passwords live in files of the cdnfaas home (0600), made once.
// The users reach Kafka at storage format, through an argument file (java @file) so that no
// password is ever on a command line.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const kafkaUserRoles = ['admin', 'connector', 'tools'] as const;
export type KafkaUserRole = (typeof kafkaUserRoles)[number];

export interface KafkaUserFiles {
  userFile: string;
  passwordFile: string;
}

/** Where a role's name and password are kept. Pure. */
export function kafkaUserFiles(home: string, role: KafkaUserRole): KafkaUserFiles {
  const dir = join(home, 'credentials');
  return { userFile: join(dir, `kafka-${role}.user`), passwordFile: join(dir, `kafka-${role}.password`) };
}

export interface KafkaUser {
  role: KafkaUserRole;
  name: string;
  password: string;
}

function writeSecret(file: string, text: string): void {
  writeFileSync(file, `${text}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
}

/** Every role's user, made with a random password when missing. Idempotent. */
export function ensureKafkaUsers(home: string): KafkaUser[] {
  mkdirSync(join(home, 'credentials'), { recursive: true, mode: 0o700 });
  return kafkaUserRoles.map((role) => {
    const files = kafkaUserFiles(home, role);
    if (!existsSync(files.passwordFile) || !existsSync(files.userFile)) {
      writeSecret(files.userFile, `cdnfaas-${role}`);
      writeSecret(files.passwordFile, randomBytes(24).toString('base64url'));
    }
    return {
      role,
      name: readFileSync(files.userFile, 'utf8').trim(),
      password: readFileSync(files.passwordFile, 'utf8').trim(),
    };
  });
}

/** A value inside kafka-storage's `--add-scram` brackets, quoted as Kafka's parser wants it. Pure. */
function scramValue(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * The `--add-scram` arguments of `kafka-storage format` for the users, one line each, for a java
 * argument file (where a backslash escapes and quotes group, hence the doubled escaping). Pure.
 */
export function addScramArguments(users: readonly KafkaUser[], mechanism = 'SCRAM-SHA-512'): string[] {
  return users.flatMap((user) => [
    '--add-scram',
    `${mechanism}=[name=${scramValue(user.name)},password=${scramValue(user.password)}]`,
  ]);
}

/** Java argument-file text: each argument in double quotes, backslashes and quotes escaped. Pure. */
export function javaArgumentFile(args: readonly string[]): string {
  return `${args.map((arg) => `"${arg.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join('\n')}\n`;
}
