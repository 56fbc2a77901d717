import { describe, expect, it } from 'vitest';
import { mountNamespaceSupport, planLaunch, type LaunchInput } from './classic-launch.ts';

const node = { command: '/usr/bin/node', args: ['--max-old-space-size=200', '/img/index.mjs'] };
const base: LaunchInput = {
  lang: 'classic',
  ...node,
  secretsDir: '/state/r1/secrets',
  support: () => ({ ok: true }),
};

describe('planLaunch', () => {
  it.each([
    ['node20-ts starts unchanged', { lang: 'node20-ts' }],
    ['an image without lang starts unchanged', { lang: undefined }],
    ['no secrets folder: unchanged', { secretsDir: undefined }],
  ])('%s', (_name, change) => {
    const support = () => {
      throw new Error('probed for an image that needs no mount namespace');
    };
    expect(planLaunch({ ...base, ...change, support })).toEqual(node);
  });

  it('classic with support: its own mount namespace, the folder bound read-only, then exec of node', () => {
    const launch = planLaunch(base);
    expect(launch.command).toBe('unshare');
    expect(launch.args.slice(0, 6)).toEqual(['--mount', '--propagation', 'private', '--', 'sh', '-c']);
    expect(launch.args.slice(7)).toEqual([
      'cdnfaas-secrets',
      '/state/r1/secrets',
      '/var/openfaas/secrets',
      '/usr/bin/node',
      '--max-old-space-size=200',
      '/img/index.mjs',
    ]);
    expect(launch.args[6]).toContain('exec "$@"');
    expect(launch.notice).toBeUndefined();
  });

  it('classic without support: unchanged, with a notice naming the folder and the reason', () => {
    const launch = planLaunch({
      ...base,
      support: () => ({ ok: false, reason: 'mount namespaces need root' }),
    });
    expect({ command: launch.command, args: launch.args }).toEqual(node);
    expect(launch.notice).toBe(
      '[cdnfaas] secrets are in $CDNFAAS_SECRETS_DIR (/state/r1/secrets), not /var/openfaas/secrets: mount namespaces need root',
    );
  });
});

describe('mountNamespaceSupport', () => {
  it('gives a reason whenever it says no, and the same answer twice', () => {
    const support = mountNamespaceSupport();
    if (!support.ok) expect(support.reason.length).toBeGreaterThan(0);
    expect(mountNamespaceSupport()).toBe(support);
  });
});
