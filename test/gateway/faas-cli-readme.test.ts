/**
 * README's "Functions with faas-cli", step by step with the real faas-cli against a gateway on a
 * free port: login, `faas-cli up` through the docker shim, the secret step, deploy -f stack.yml,
 * list, describe, ready, invoke (sync and async), logs, namespace get, a secret update that
 * reaches the replicas, the rollback README gives, remove. Then what a secret update, a label or
 * an annotation change and Docker-normalised or mutable references do to a running function.
 * Skipped without faas-cli on PATH, failing in CI.
 */
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { predictionSchema } from '../../contracts/prediction.ts';
import { modelImages } from '../../runtime/build/index.ts';
import { openImageStore } from '../../runtime/images/index.ts';
import { loadConfig, projectRoot, readInfluxToken } from '../../system/config.ts';
import { copyProject } from '../kubernetes/support/project.ts';
import {
  describeWithFaasCli,
  faasCliEnv,
  faasCliOk,
  runFaasCli,
  type FaasCliResult,
} from '../support/faas-cli.ts';
import { startCallbackServer } from './support/callback-server.ts';
import { startTestGateway, waitFor, type TestGateway } from './support/gateway.ts';
import { steadyLoad } from './support/load.ts';

const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8');
/** The record README pipes into `faas-cli invoke predict`. */
const readmeRecord = /echo '(\{"sample_id"[^']*\})' \| faas-cli invoke predict/.exec(readme)?.[1];
const stackFunctions = ['load-data', 'load-predictions', 'predict', 'provide'];
const shimDir = join(projectRoot, 'deploy', 'docker-shim');

/** Replica pids' view of a secret: the file in the folder the replica was given. */
function secretSeenBy(pid: number, name: string): string {
  const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
  const dir = environ.find((entry) => entry.startsWith('CDNFAAS_SECRETS_DIR='))!.split('=')[1]!;
  return readFileSync(join(dir, name), 'utf8');
}

const revisionsOf = (gw: TestGateway, name: string) =>
  [...new Set(gw.gateway.provider.replicas(name).map((replica) => replica.revision))].sort();

const rolledTo = (gw: TestGateway, name: string, revision: number) =>
  waitFor(
    `${name} rolled out to revision ${revision}`,
    () => {
      const replicas = gw.gateway.provider.replicas(name);
      const done =
        replicas.length > 0 &&
        replicas.every((replica) => replica.revision === revision && replica.state === 'ready');
      return done ? true : undefined;
    },
    60_000,
    50,
  );

describeWithFaasCli('README "Functions with faas-cli", with the real faas-cli', (faasCli) => {
  let gw: TestGateway;
  let project: string;
  let env: NodeJS.ProcessEnv;
  /** What `eval "$(npx cdnfaas images --env)"` exports for the copied project's model. */
  let predictTag: string;
  let predictModel: string;

  /** faas-cli in the project copy, as README runs it from the repository root. */
  const cli = (args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}) =>
    runFaasCli(faasCli, [...args, '--gateway', gw.url], {
      cwd: project,
      env: { ...env, ...options.env },
      ...(options.input === undefined ? {} : { input: options.input }),
    });
  const ok = async (args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}) => {
    const result = await cli(args, options);
    if (result.status !== 0) throw failed(args, result);
    return result.stdout;
  };
  const failed = (args: string[], result: FaasCliResult) =>
    new Error(`faas-cli ${args.join(' ')} exited ${result.status}\n${result.stdout}\n${result.stderr}`);

  beforeAll(async () => {
    expect(readmeRecord, 'README pipes a ClientData record into faas-cli invoke predict').toBeDefined();
    project = copyProject(join(projectRoot, 'functions', 'predict', 'model'));
    // The build bundles the handlers' imports from the project's packages.
    symlinkSync(join(projectRoot, 'node_modules'), join(project, 'node_modules'), 'dir');
    gw = await startTestGateway({ echoImages: [] });
    const [image] = modelImages(join(project, 'stack.yml'), {});
    predictTag = image!.tag;
    predictModel = image!.installed.model;
    env = {
      ...faasCliEnv(gw.home),
      // The docker shim builds into CDNFAAS_HOME's store.
      HOME: gw.home,
      CDNFAAS_HOME: gw.home,
      CDNFAAS_STACK_FILE: '',
      PREDICT_TAG: predictTag,
      PREDICT_MODEL: predictModel,
      PATH: [shimDir, process.env.PATH].join(delimiter),
    };
    // Where `npx cdnfaas services up` keeps the InfluxDB token, relative to the repository root.
    mkdirSync(join(project, '.cdnfaas', 'secrets'), { recursive: true });
    writeFileSync(
      join(project, '.cdnfaas', 'secrets', 'influxdb-token'),
      `${readInfluxToken(loadConfig())}\n`,
    );
  }, 120_000);
  afterAll(async () => {
    await gw?.stop();
    if (project !== undefined) rmSync(project, { recursive: true, force: true });
  });

  it('login --password-stdin with the password file of npx cdnfaas credentials', async () => {
    const out = await ok(['login', '--password-stdin'], {
      input: readFileSync(gw.gateway.credentialFiles.passwordFile, 'utf8'),
    });
    expect(out).toContain('credentials saved for admin');
  });

  it('up without PREDICT_TAG builds no predict image, and names the tag of its model', async () => {
    const result = await cli(['up', '-f', 'stack.yml', '--filter', 'predict'], {
      env: { PREDICT_TAG: '', PREDICT_MODEL: '' },
    });
    expect(result.status).not.toBe(0);
    expect(result.stdout + result.stderr).toContain(
      `PREDICT_TAG=${predictTag} PREDICT_MODEL=${predictModel} faas-cli up -f stack.yml --filter predict`,
    );
    expect(openImageStore(gw.home).list()).toEqual([]);
  }, 120_000);

  it('up -f stack.yml through the docker shim builds every function; the loaders wait for their secret', async () => {
    const result = await cli(['up', '-f', 'stack.yml']);
    expect(result.status).not.toBe(0);
    const output = result.stdout + result.stderr;
    expect(output.match(/Deployed\. 202 Accepted\./g)).toHaveLength(2);
    expect(output.match(/unable to find secret: influxdb-token/g)).toHaveLength(2);
    const stored = openImageStore(gw.home)
      .list()
      .map((image) => image.ref);
    expect(stored).toEqual(
      stackFunctions.map((name) => `cdnfaas/${name}:${name === 'predict' ? predictTag : '0.1.0'}`),
    );
  }, 300_000);

  it('secret create influxdb-token --from-file ... --replace, as often as it is run', async () => {
    const args = [
      'secret',
      'create',
      'influxdb-token',
      '--from-file',
      '.cdnfaas/secrets/influxdb-token',
      '--replace',
    ];
    expect(await ok(args)).toContain('Created: 201 Created');
    expect(await ok(args)).toContain('already exists, updating');
  });

  it('deploy -f stack.yml deploys all four, and ready waits for each', async () => {
    const out = await ok(['deploy', '-f', 'stack.yml']);
    expect(out.match(/Deployed\. 202 Accepted\./g)).toHaveLength(4);
    for (const name of stackFunctions) await ok(['ready', name, '--attempts', '60']);
  }, 120_000);

  it('list; describe predict; logs predict', async () => {
    const list = await ok(['list']);
    for (const name of stackFunctions) expect(list).toContain(name);
    const described = await ok(['describe', 'predict']);
    expect(described).toMatch(/Status:\s+Ready/);
    expect(described).toContain(`cdnfaas/predict:${predictTag}`);
    expect(described).toContain(`cdnfaas.model: ${predictModel}`);
    expect(await ok(['logs', 'predict', '--tail=false'])).toContain(
      `revision 1: cdnfaas/predict:${predictTag}`,
    );
  });

  it("invoke predict with README's record answers a Prediction; --async posts it to the callback", async () => {
    const prediction = predictionSchema.parse(
      JSON.parse(await ok(['invoke', 'predict'], { input: readmeRecord })),
    );
    expect(prediction.sample_id).toBe(JSON.parse(readmeRecord!).sample_id);
    const callbacks = await startCallbackServer();
    try {
      const queued = await cli(['invoke', 'predict', '--async', '-H', `X-Callback-Url: ${callbacks.url}`], {
        input: readmeRecord,
      });
      expect(queued.status).toBe(0);
      expect(queued.stderr).toContain('Function submitted asynchronously.');
      const callback = await waitFor('the callback', () => callbacks.received[0]);
      expect(callback.headers['x-function-status']).toBe('200');
      expect(predictionSchema.parse(JSON.parse(callback.body)).sample_id).toBe(prediction.sample_id);
    } finally {
      await callbacks.close();
    }
  });

  it('namespace get: openfaas-fn is there, any other is not found', async () => {
    expect(await ok(['namespace', 'get', 'openfaas-fn'])).toMatch(/Name:\s+openfaas-fn/);
    const other = await cli(['namespace', 'get', 'dev']);
    expect(other.status).not.toBe(0);
    expect(other.stderr + other.stdout).toMatch(/namespace dev not found/i);
  });

  it('deploy again changes nothing; secret update then deploy rolls the loader onto the new value', async () => {
    await ok(['deploy', '-f', 'stack.yml', '--filter', 'load-data']);
    expect(revisionsOf(gw, 'load-data')).toEqual([1]);
    const rotated = join(project, 'rotated-token');
    writeFileSync(rotated, 'rotated-token-value\n');
    await ok(['secret', 'update', 'influxdb-token', '--from-file', rotated]);
    // A secret update alone reaches no running replica (as on Kubernetes, where env and files
    // are fixed at start); the next deploy of a function that uses it rolls it.
    expect(revisionsOf(gw, 'load-data')).toEqual([1]);
    await ok(['deploy', '-f', 'stack.yml', '--filter', 'load-data']);
    await rolledTo(gw, 'load-data', 2);
    for (const replica of gw.gateway.provider.replicas('load-data'))
      expect(secretSeenBy(replica.pid!, 'influxdb-token')).toBe('rotated-token-value');
  }, 120_000);

  it('rolls predict forward and back as README gives it, keeping its labels and annotations, with no failed call', async () => {
    const before = gw.gateway.provider.get('predict')!;
    const load = steadyLoad({
      url: gw.url,
      path: '/function/predict',
      method: 'POST',
      body: readmeRecord!,
      ratePerSecond: 40,
    });
    try {
      // A new code version of the same model; then back to the first image.
      const next = predictTag.replace(/^0\.1\.0-/, '0.2.0-');
      await ok(['up', '-f', 'stack.yml', '--filter', 'predict'], { env: { PREDICT_TAG: next } });
      await rolledTo(gw, 'predict', 2);
      expect(gw.gateway.provider.get('predict')!.image).toBe(`cdnfaas/predict:${next}`);
      await ok(['deploy', '-f', 'stack.yml', '--filter', 'predict'], { env: { PREDICT_TAG: predictTag } });
      await rolledTo(gw, 'predict', 3);
    } finally {
      const outcomes = await load.stop();
      const failures = outcomes.filter((outcome) => outcome.status !== 200);
      expect(failures, JSON.stringify(failures.slice(0, 3))).toEqual([]);
      expect(outcomes.length).toBeGreaterThan(10);
    }
    const after = gw.gateway.provider.get('predict')!;
    expect(after.image).toBe(`cdnfaas/predict:${predictTag}`);
    expect(after.annotations).toEqual(before.annotations);
    expect(after.annotations).toMatchObject({ topic: 'cdn_data', 'cdnfaas.output': 'cdn_result' });
    expect(after.labels).toEqual(before.labels);
    expect(after.labels).toMatchObject({ 'com.openfaas.scale.max': '4', faas_function: 'predict' });
    expect(await ok(['describe', 'predict'])).toContain(`cdnfaas/predict:${predictTag}`);
  }, 300_000);

  it('remove -f stack.yml removes every function', async () => {
    await ok(['remove', '-f', 'stack.yml']);
    expect(gw.gateway.provider.list()).toEqual([]);
  }, 60_000);
});

describeWithFaasCli('faas-cli against a running function: secrets, metadata and references', (faasCli) => {
  let gw: TestGateway;
  // No stack.yml in the gateway's home: faas-cli deploys only what --image and --name say.
  const ok = (args: string[], input?: string) =>
    faasCliOk(faasCli, [...args, '--gateway', gw.url], {
      cwd: gw.home,
      env: faasCliEnv(gw.home),
      ...(input === undefined ? {} : { input }),
    });
  const deployEcho = (...extra: string[]) =>
    ok(['deploy', '--image', 'cdnfaas/echo:0.1.0', '--name', 'echo', '--secret', 'api-key', ...extra]);

  beforeAll(async () => {
    gw = await startTestGateway({ echoImages: ['cdnfaas/echo:0.1.0', 'cdnfaas/echo:latest'] });
    await ok(['login', '--password-stdin'], gw.password);
  }, 120_000);
  afterAll(async () => gw?.stop());

  it('secret update, then the same deploy: every call answered, the new value served', async () => {
    await ok(['secret', 'create', 'api-key', '--from-literal', 'first-value']);
    await deployEcho();
    await ok(['ready', 'echo', '--attempts', '30']);
    const load = steadyLoad({ url: gw.url, path: '/function/echo/secret/api-key', ratePerSecond: 50 });
    try {
      await ok(['secret', 'update', 'api-key', '--from-literal', 'second-value']);
      await deployEcho();
      await rolledTo(gw, 'echo', 2);
    } finally {
      const outcomes = await load.stop();
      expect(outcomes.filter((outcome) => outcome.status !== 200)).toEqual([]);
      expect(outcomes.at(-1)?.body).toBe('second-value');
    }
  }, 120_000);

  it.each([
    ['a label', ['--label', 'team=cdn'], 3],
    ['an annotation', ['--label', 'team=cdn', '--annotation', 'topic=cdn_raw'], 4],
  ])(
    '%s changed by deploy rolls the replicas',
    async (_what, extra, revision) => {
      await deployEcho(...extra);
      await rolledTo(gw, 'echo', revision);
      await deployEcho(...extra);
      expect(revisionsOf(gw, 'echo')).toEqual([revision]);
    },
    120_000,
  );

  it('Docker Hub spelt out finds the local image', async () => {
    expect(await ok(['deploy', '--image', 'docker.io/cdnfaas/echo:0.1.0', '--name', 'hub'])).toContain(
      'Deployed. 202 Accepted.',
    );
    await ok(['ready', 'hub', '--attempts', '30']);
    expect(gw.gateway.provider.get('hub')!.image).toBe('docker.io/cdnfaas/echo:0.1.0');
  });

  it('a mutable tag is deployed, with a warning in the function log', async () => {
    expect(await ok(['deploy', '--image', 'cdnfaas/echo', '--name', 'moving'])).toContain(
      'Deployed. 202 Accepted.',
    );
    await ok(['ready', 'moving', '--attempts', '30']);
    expect(await ok(['logs', 'moving', '--tail=false'])).toContain(
      'image cdnfaas/echo has a mutable tag: a rollback cannot name the content it replaces',
    );
  });

  it('describe shows the faas_function label; no envVars when none were given', async () => {
    const status = (await (
      await fetch(`${gw.url}/system/function/hub`, { headers: { authorization: gw.auth } })
    ).json()) as Record<string, unknown>;
    expect(status.labels).toEqual({ faas_function: 'hub' });
    expect(status).not.toHaveProperty('envVars');
  });
});
