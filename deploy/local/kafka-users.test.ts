import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addScramArguments, ensureKafkaUsers, javaArgumentFile, kafkaUserFiles } from './kafka-users.ts';

describe('Kafka users', () => {
  it('are made once per home, in files only their owner reads', () => {
    const home = mkdtempSync(join(tmpdir(), 'cdnfaas-users-'));
    const first = ensureKafkaUsers(home);
    expect(first.map((user) => user.name)).toEqual(['cdnfaas-admin', 'cdnfaas-connector', 'cdnfaas-tools']);
    expect(new Set(first.map((user) => user.password)).size).toBe(3);
    expect(ensureKafkaUsers(home)).toEqual(first);
    const files = kafkaUserFiles(home, 'connector');
    expect((statSync(files.passwordFile).mode & 0o777).toString(8)).toBe('600');
  });

  it('reach kafka-storage as --add-scram arguments, quoted inside a java argument file', () => {
    const args = addScramArguments([{ role: 'tools', name: 'cdnfaas-tools', password: 'p"w\\d' }]);
    expect(args).toEqual(['--add-scram', 'SCRAM-SHA-512=[name="cdnfaas-tools",password="p\\"w\\\\d"]']);
    expect(javaArgumentFile(['format', 'a "b"'])).toBe('"format"\n"a \\"b\\""\n');
  });
});
