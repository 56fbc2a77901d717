/**
 * Functions in any language: lang classic images built by the real build, deployed through the
 * gateway's REST API and with the real faas-cli, beside a node20-ts function. The watchdog forks
 * fprocess per call; the checks follow the classic watchdog (openfaas/classic-watchdog).
 */
import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildStack } from '../../runtime/build/index.ts';
import { mountNamespaceSupport } from '../../runtime/build/classic-launch.ts';
import { describeWithFaasCli } from '../support/faas-cli.ts';
import { startTestGateway, systemRequest, waitFor, type TestGateway } from './support/gateway.ts';

const secretName = 'classic-token';
const secretValue = 's3cr3t-for-classic';

/** A stack with an empty handler folder (functions/alpine) and a shell script reading a secret. */
function writeClassicStack(dir: string): string {
  mkdirSync(join(dir, 'alpine'), { recursive: true });
  mkdirSync(join(dir, 'read-secret'), { recursive: true });
  writeFileSync(
    join(dir, 'read-secret', 'handler.sh'),
    `# Reads the secret where OpenFaaS mounts it, whatever the body says.\ncat /var/openfaas/secrets/${secretName}\n`,
  );
  const file = join(dir, 'stack.yml');
  writeFileSync(
    file,
    [
      'provider:',
      '  name: openfaas',
      'functions:',
      '  alpine:',
      '    lang: classic',
      '    handler: ./alpine',
      '    image: functions/alpine:latest',
      '  read-secret:',
      '    lang: classic',
      '    handler: ./read-secret',
      '    image: cdnfaas/read-secret:0.1.0',
      '    fprocess: sh handler.sh',
      '',
    ].join('\n'),
  );
  return file;
}

const sha512 = (text: string) => `${createHash('sha512').update(text).digest('hex')}  -\n`;

describe('classic functions through the gateway REST API', () => {
  let gw: TestGateway;
  let dir: string;
  const system = (method: string, path: string, body?: unknown) => systemRequest(gw, method, path, body);
  const invoke = (name: string, init: RequestInit & { path?: string } = {}) =>
    fetch(`${gw.url}/function/${name}${init.path ?? ''}`, { method: 'POST', ...init });
  const logs = async (name: string) =>
    (await (await system('GET', `/system/logs?name=${name}&tail=500`)).text())
      .split('\n')
      .filter(Boolean)
      .map((line) => (JSON.parse(line) as { text: string }).text);
  const deploy = async (spec: Record<string, unknown>) => {
    const res = await system('POST', '/system/functions', spec);
    expect(res.status, await res.text()).toBe(202);
  };
  const ready = (name: string) =>
    waitFor(`a ready replica of ${name}`, () =>
      gw.gateway.provider.get(name)?.availableReplicas ? true : undefined,
    );

  beforeAll(async () => {
    gw = await startTestGateway();
    dir = mkdtempSync(join(tmpdir(), 'cdnfaas-classic-stack-'));
    await buildStack({ stackFile: writeClassicStack(dir), config: { home: gw.home } });
    expect((await system('POST', '/system/secrets', { name: secretName, value: secretValue })).status).toBe(
      201,
    );
    const alpine = 'functions/alpine:latest';
    const functions = [
      { service: 'env', image: alpine, envProcess: 'env' },
      { service: 'cat', image: alpine, envVars: { fprocess: 'cat' } },
      { service: 'hash', image: alpine, envProcess: 'sha512sum' },
      {
        service: 'fail',
        image: alpine,
        envProcess: `sh -c 'echo partial; echo classic-boom-on-stderr >&2; exit 3'`,
      },
      { service: 'slow', image: alpine, envProcess: 'sleep 5', envVars: { exec_timeout: '500ms' } },
      {
        service: 'shout',
        image: alpine,
        envProcess: `python3 -c 'import sys; print(sys.stdin.read().upper(), end="")'`,
      },
      {
        service: 'read-secret',
        image: 'cdnfaas/read-secret:0.1.0',
        envProcess: 'sh handler.sh',
        secrets: [secretName],
      },
      { service: 'echo', image: 'cdnfaas/echo:0.1.0' },
    ];
    for (const spec of functions) await deploy(spec);
    for (const { service } of functions) await ready(service);
  });
  afterAll(async () => {
    await gw?.stop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('cat echoes the body (fprocess given as an environment variable)', async () => {
    const res = await invoke('cat', { body: 'hello classic', headers: { 'content-type': 'text/plain' } });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('hello classic');
    expect(res.headers.get('content-type')).toBe('text/plain');
    expect(Number(res.headers.get('x-duration-seconds'))).toBeGreaterThan(0);
  });

  it('sha512sum answers the hash of the body, and logs the classic lines', async () => {
    const body = 'the quick brown fox';
    const res = await invoke('hash', { body });
    expect(await res.text()).toBe(sha512(body));
    const lines = await waitFor('the Wrote line', async () => {
      const found = await logs('hash');
      return found.some((line) => line.includes('Wrote 132 Bytes - Duration: ')) ? found : undefined;
    });
    expect(lines.some((line) => line.includes('"msg":"Forking fprocess."'))).toBe(true);
  });

  it('env shows Http_Method, Http_Path, Http_Query and a header as the classic watchdog names them', async () => {
    const res = await invoke('env', {
      path: '/some/sub/path?workshop=1&b=two',
      method: 'PUT',
      body: 'x',
      headers: { 'X-Custom-Header': 'custom-value' },
    });
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(text).toContain('Http_Method=PUT\n');
    expect(text).toContain('Http_Path=/some/sub/path\n');
    expect(text).toContain('Http_Query=workshop=1&b=two\n');
    expect(text).toContain('Http_X_Custom_Header=custom-value\n');
    expect(text).toMatch(/Http_X_Call_Id=[0-9a-f-]{36}\n/);
    expect(text).toContain('fprocess=env\n');
  });

  it('a non-zero exit is 500 with "exit status 3" and the output, and its stderr is in the function logs', async () => {
    const res = await invoke('fail', { body: 'x' });
    expect(res.status).toBe(500);
    expect(await res.text()).toBe('exit status 3\npartial\nclassic-boom-on-stderr\n');
    await waitFor('stderr in the logs', async () =>
      (await logs('fail')).some((line) => line.includes('stderr: classic-boom-on-stderr')) ? true : undefined,
    );
  });

  it('exec_timeout kills the process: 408 "Killed process." well before it would end', async () => {
    const started = performance.now();
    const res = await invoke('slow', { body: 'x' });
    expect(res.status).toBe(408);
    expect(await res.text()).toBe('Killed process.\n');
    expect(performance.now() - started).toBeLessThan(3_000);
    await waitFor('the Killing line', async () =>
      (await logs('slow')).some((line) => line.includes('Killing process: sleep 5')) ? true : undefined,
    );
  });

  it('a Python one-liner runs beside the node20-ts echo function', async () => {
    const [shout, echo] = await Promise.all([
      invoke('shout', { body: 'python here' }),
      invoke('echo', { body: 'node here' }),
    ]);
    expect([shout.status, await shout.text()]).toEqual([200, 'PYTHON HERE']);
    expect([echo.status, await echo.text()]).toEqual([200, 'node here']);
  });

  // One test, two outcomes: CI runs as root on Linux (the mount namespace); elsewhere the replica
  // must say where its secrets are instead. Neither is ever skipped.
  it('a shell script reads its secret at /var/openfaas/secrets/<name>, or says where it is', async () => {
    if (mountNamespaceSupport().ok) {
      const res = await invoke('read-secret', { body: '' });
      expect([res.status, await res.text()]).toEqual([200, secretValue]);
      expect((await logs('read-secret')).some((line) => line.includes('"msg":"secrets mounted"'))).toBe(true);
    } else {
      expect((await logs('read-secret')).some((line) => line.includes('not /var/openfaas/secrets'))).toBe(
        true,
      );
    }
  });
});

describeWithFaasCli('classic functions with the real faas-cli', (faasCli) => {
  describe('deploy --image functions/alpine:latest --env fprocess=...', () => {
    let gw: TestGateway;
    let dir: string;
    /**
     * Runs faas-cli without blocking: the gateway answers it from this same process. A failure
     * throws with faas-cli's output, so the reason shows in the test report.
     */
    const run = (args: string[], input = '') =>
      new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
        const child = spawn(faasCli, [...args, '--gateway', gw.url], {
          env: { ...process.env, HOME: gw.home },
          // A folder without stack.yml: faas-cli deploy would otherwise deploy that file's functions.
          cwd: gw.home,
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.once('error', reject);
        child.once('close', (status) => resolve({ status, stdout, stderr }));
        child.stdin.end(input);
      });
    const cli = async (args: string[], input?: string) => {
      const result = await run(args, input);
      if (result.status !== 0)
        throw new Error(
          `faas-cli ${args.join(' ')} exited ${result.status}: ${result.stdout}${result.stderr}`,
        );
      return result.stdout;
    };

    beforeAll(async () => {
      gw = await startTestGateway();
      dir = mkdtempSync(join(tmpdir(), 'cdnfaas-classic-cli-'));
      await buildStack({ stackFile: writeClassicStack(dir), config: { home: gw.home } });
      await cli(['login', '--username', gw.user, '--password-stdin'], gw.password);
    });
    afterAll(async () => {
      await gw?.stop();
      if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    });

    it('sha512sum, a failing command with its stderr in faas-cli logs, a secret, and node20-ts beside them', async () => {
      const alpine = ['--image', 'functions/alpine:latest'];
      expect(await cli(['deploy', ...alpine, '--name', 'hash', '--env', 'fprocess=sha512sum'])).toContain(
        'Deployed. 202 Accepted.',
      );
      await cli(['deploy', ...alpine, '--name', 'fail', '--fprocess', 'sh -c "echo cli-boom >&2; exit 1"']);
      await cli(['secret', 'create', secretName, '--from-literal', secretValue]);
      const script = ['--image', 'cdnfaas/read-secret:0.1.0', '--fprocess', 'sh handler.sh'];
      await cli(['deploy', ...script, '--name', 'read-secret', '--secret', secretName]);
      await cli(['deploy', '--image', 'cdnfaas/echo:0.1.0', '--name', 'echo']);
      for (const name of ['hash', 'fail', 'read-secret', 'echo'])
        await cli(['ready', name, '--attempts', '60']);

      expect(await cli(['invoke', 'hash'], 'abc')).toBe(sha512('abc'));
      expect(await cli(['invoke', 'echo'], 'node')).toBe('node');
      const failed = await run(['invoke', 'fail'], 'x');
      expect(failed.status).not.toBe(0);
      expect(`${failed.stdout}${failed.stderr}`).toContain('500');
      await waitFor('stderr in faas-cli logs', async () =>
        (await cli(['logs', 'fail', '--tail=false'])).includes('stderr: cli-boom') ? true : undefined,
      );
      if (mountNamespaceSupport().ok) expect(await cli(['invoke', 'read-secret'])).toBe(secretValue);
    });
  });
});
