import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildStack } from '../../runtime/build/index.ts';
import { LocalImageStore } from '../../runtime/images/store.ts';
import { projectRoot } from '../../system/config.ts';

/**
 * faas-cli cannot be installed here, so a stand-in does exactly what faas-cli build/push/up do with
 * docker (read from faas-cli's builder/build.go, go-sdk builder.CreateBuildContext and
 * commands/push.go): copy template/<lang> into ./build/<fn>, overlay the handler folder at
 * ./build/<fn>/function, run `docker build --build-arg ADDITIONAL_PACKAGE= --tag IMAGE .` in
 * ./build/<fn>, then `docker push IMAGE` in ./ — finding `docker` on PATH, where the shim is first.
 */
const fakeFaasCli = `#!/usr/bin/env node
const { cpSync, mkdirSync, rmSync } = require('node:fs');
const { spawnSync } = require('node:child_process');
const { FN: fn, HANDLER: handler, IMAGE: image, TEMPLATE: template } = process.env;
const context = './build/' + fn + '/';
rmSync(context, { recursive: true, force: true });
mkdirSync(context + 'function', { recursive: true });
cpSync(template, context, { recursive: true });
cpSync(handler, context + 'function', { recursive: true });
const run = (args, cwd) => spawnSync('docker', args, { cwd, stdio: 'inherit' }).status;
if (run(['build', '--build-arg', 'ADDITIONAL_PACKAGE=', '--tag', image, '.'], context) !== 0) process.exit(1);
console.log('Image: ' + image + ' built.');
if (process.argv[2] === 'up' && run(['push', image], './') !== 0) process.exit(1);
`;

let dir: string;
let home: string;
let store: LocalImageStore;
const echoHandler = join(projectRoot, 'test/fixtures/functions/echo');

function faasCli(args: string[], env: Record<string, string>) {
  return spawnSync(join(dir, 'bin', 'faas-cli'), args, {
    cwd: dir,
    encoding: 'utf8',
    env: {
      ...process.env,
      PATH: [join(projectRoot, 'deploy/docker-shim'), join(dir, 'bin'), process.env.PATH].join(delimiter),
      CDNFAAS_HOME: home,
      CDNFAAS_STACK_FILE: '',
      TEMPLATE: join(projectRoot, 'template/node20-ts'),
      ...env,
    },
  });
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cdnfaas-shim-'));
  home = join(dir, 'home');
  store = new LocalImageStore(join(home, 'images'));
  mkdirSync(join(dir, 'bin'));
  writeFileSync(join(dir, 'bin', 'faas-cli'), fakeFaasCli);
  chmodSync(join(dir, 'bin', 'faas-cli'), 0o755);
  writeFileSync(
    join(dir, 'stack.yml'),
    `provider:\n  name: openfaas\nfunctions:\n  echo:\n    lang: node20-ts\n    handler: ${echoHandler}\n    image: cdnfaas/echo:0.1.0\n`,
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('docker shim under faas-cli', () => {
  it('builds `faas-cli up -f stack.yml` into the store, with the digest of npx cdnfaas build', async () => {
    const result = faasCli(['up', '-f', 'stack.yml'], {
      FN: 'echo',
      HANDLER: echoHandler,
      IMAGE: 'cdnfaas/echo:0.1.0',
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`building echo from ${join(dir, 'stack.yml')} (faas-cli -f)`);
    expect(result.stdout).toMatch(
      /Successfully tagged cdnfaas\/echo:0\.1\.0 \(sha256:[a-f0-9]{64}, created\)/,
    );
    expect(result.stdout).toContain('cdnfaas/echo:0.1.0: in the local image store');
    const image = store.resolve('cdnfaas/echo:0.1.0')!;
    const otherHome = join(dir, 'direct');
    const [direct] = await buildStack({
      stackFile: join(dir, 'stack.yml'),
      config: { home: otherHome },
      store: new LocalImageStore(join(otherHome, 'images')),
    });
    expect(image.digest).toBe(direct!.digest);
  });

  it("stores faas-cli's --tag variant of the image name (e.g. --tag sha) as given", () => {
    const result = faasCli(['build', '--yaml', 'stack.yml', '--tag', 'sha'], {
      FN: 'echo',
      HANDLER: echoHandler,
      IMAGE: 'cdnfaas/echo:0.1.0-abc1234',
    });
    expect(result.status).toBe(0);
    expect(store.resolve('cdnfaas/echo:0.1.0-abc1234')?.digest).toBe(
      store.resolve('cdnfaas/echo:0.1.0')!.digest,
    );
  });

  it('fails the faas-cli build, naming the problem, when the function is not in the stack file', () => {
    const result = faasCli(['build', '-f', 'stack.yml'], {
      FN: 'other',
      HANDLER: echoHandler,
      IMAGE: 'cdnfaas/other:1',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('no function in');
    expect(result.stderr).toContain('the functions are: echo');
  });

  it('refuses to push an image the store does not hold, and commands it does not implement', () => {
    const shim = (args: string[]) =>
      spawnSync(join(projectRoot, 'deploy/docker-shim/docker'), args, {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, CDNFAAS_HOME: home },
      });
    const push = shim(['push', 'cdnfaas/missing:1']);
    expect([push.status, push.stderr]).toEqual([
      1,
      expect.stringContaining('cdnfaas/missing:1 is not in the local image store'),
    ]);
    const run = shim(['run', '--rm', 'alpine']);
    expect([run.status, run.stderr]).toEqual([1, expect.stringContaining('docker run is not supported')]);
    const traversal = shim(['build', '--tag', '../../etc:1', '.']);
    expect(traversal.status).toBe(1);
  });
});
