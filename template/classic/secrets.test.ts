import { describe, expect, it } from 'vitest';
import { secretsLocation } from './secrets.ts';

type Inode = { dev: number; ino: number };

describe('secretsLocation', () => {
  const stats = (table: Record<string, Inode>) => (path: string) => table[path];
  it.each([
    [
      'bind-mounted: same device and inode at both paths',
      { CDNFAAS_SECRETS_DIR: '/state/r1/secrets' },
      { '/state/r1/secrets': { dev: 1, ino: 7 }, '/var/openfaas/secrets': { dev: 1, ino: 7 } },
      { kind: 'openfaas', dir: '/var/openfaas/secrets' },
    ],
    [
      'not mounted: another folder at the OpenFaaS path',
      { CDNFAAS_SECRETS_DIR: '/state/r1/secrets' },
      { '/state/r1/secrets': { dev: 1, ino: 7 }, '/var/openfaas/secrets': { dev: 1, ino: 9 } },
      { kind: 'local', dir: '/state/r1/secrets' },
    ],
    [
      'not mounted: no OpenFaaS path at all',
      { CDNFAAS_SECRETS_DIR: '/state/r1/secrets' },
      { '/state/r1/secrets': { dev: 1, ino: 7 } },
      { kind: 'local', dir: '/state/r1/secrets' },
    ],
    [
      'in a container: OpenFaaS mounts them',
      {},
      { '/var/openfaas/secrets': { dev: 2, ino: 3 } },
      { kind: 'openfaas' },
    ],
    ['no secrets anywhere', {}, {}, { kind: 'none' }],
  ])('%s', (_name, env, table, expected) =>
    expect(secretsLocation(env, stats(table))).toMatchObject(expected),
  );
});
