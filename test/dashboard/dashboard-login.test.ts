// The dashboard behind the gateway's basic auth, through the real `cdnfaas gateway` command in a
// home of its own: listening beyond loopback (by default), with --dashboard-auth on, and in secure
// mode (with a secure Kafka and InfluxDB of its own, on free ports), /ui/, its view and its event
// stream answer 401 without credentials; a browser that logs in sees the live page, whose Kafka
// and InfluxDB panels read with the secure clients' credentials.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servicesDown, servicesUp } from '../../deploy/local/index.ts';
import { tempConfig, type TempSetup } from '../services/support.ts';
import { basicAuthHeader } from '../../lib/basic-auth.ts';
import { freePort } from '../../lib/ports.ts';
import { ensureCredentials } from '../../runtime/gateway/credentials.ts';
import { loadConfig, projectRoot } from '../../system/config.ts';
import { ensureChromium, openBrowser, panelState, screenshot } from './support/browser.ts';

const cli = join(projectRoot, 'bin', 'cdnfaas.mjs');

interface RunningGateway {
  url: string;
  home: string;
  /** False for a home whose services the test started and stops itself. */
  ownsHome: boolean;
  child: ChildProcess;
  output: () => string;
}

async function startGateway(
  args: string[],
  env: Record<string, string | undefined> = {},
  ownHome?: string,
): Promise<RunningGateway> {
  const home = ownHome ?? mkdtempSync(join(tmpdir(), 'cdnfaas-dashboard-auth-'));
  const port = await freePort();
  let output = '';
  const child = spawn(
    process.execPath,
    [cli, 'gateway', '--port', String(port), '--alerting', 'off', ...args],
    {
      cwd: projectRoot,
      // The shared services' InfluxDB token, so the page's stored counts read as they would.
      env: {
        ...process.env,
        CDNFAAS_HOME: home,
        ...(ownHome === undefined ? { INFLUX_TOKEN_FILE: loadConfig().influxdb.tokenFile } : {}),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  started.push({ url, home, ownsHome: ownHome === undefined, child, output: () => output });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`gateway exited ${child.exitCode}: ${output}`);
    const healthy = await fetch(`${url}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy) return { url, home, ownsHome: ownHome === undefined, child, output: () => output };
    await sleep(250);
  }
  throw new Error(`gateway did not answer /healthz in 60 s: ${output}`);
}

async function stopGateway(gateway: RunningGateway | undefined): Promise<void> {
  if (gateway === undefined) return;
  if (gateway.child.exitCode === null) {
    const exited = new Promise((resolve) => gateway.child.once('exit', resolve));
    gateway.child.kill('SIGTERM');
    await exited;
  }
  if (gateway.ownsHome) rmSync(gateway.home, { recursive: true, force: true });
}

/** Every gateway started, so afterAll stops them even when beforeAll failed half-way. */
const started: RunningGateway[] = [];

const dashboardPaths = ['/ui/', '/ui', '/ui/api/view', '/ui/api/events', '/ui/app.js'];

async function expectRefused(url: string, authorization?: string): Promise<void> {
  for (const path of dashboardPaths) {
    const response = await fetch(`${url}${path}`, {
      headers: authorization ? { authorization } : {},
      redirect: 'manual',
    });
    expect(response.status, path).toBe(401);
    expect(response.headers.get('www-authenticate'), path).toMatch(/^Basic realm=/);
    await response.body?.cancel();
  }
}

describe('the dashboard behind the gateway basic auth', () => {
  let open: RunningGateway | undefined;
  let beyondLoopback: RunningGateway | undefined;
  let forced: RunningGateway | undefined;
  let secure: RunningGateway | undefined;
  let secureSetup: TempSetup | undefined;
  let secureEnv: Record<string, string | undefined> = {};

  beforeAll(async () => {
    ensureChromium();
    secureSetup = tempConfig(
      { kafka: await freePort(), controller: await freePort(), influx: await freePort() },
      { CDNFAAS_SECURE: 'true' },
    );
    secureEnv = { ...secureSetup.env, CDNFAAS_SOURCES: secureSetup.sourcesFile };
    const setup = secureSetup;
    [open, beyondLoopback, forced, secure] = await Promise.all([
      startGateway([]),
      startGateway(['--host', '0.0.0.0']),
      startGateway(['--dashboard-auth', 'on']),
      servicesUp(setup.config, { only: ['kafka', 'influxdb'], env: secureEnv }).then(() =>
        startGateway([], secureEnv, setup.config.home),
      ),
    ]);
  }, 600_000);

  afterAll(async () => {
    await Promise.all(started.map(stopGateway));
    if (secureSetup !== undefined) {
      await servicesDown(secureSetup.config, { only: ['kafka', 'influxdb'], env: secureEnv });
      rmSync(secureSetup.dir, { recursive: true, force: true });
    }
  }, 180_000);

  it('stays open on loopback without secure mode (the one-machine start)', async () => {
    const response = await fetch(`${open!.url}/ui/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<html');
  });

  it.each([
    ['listening beyond loopback', () => beyondLoopback!],
    ['with --dashboard-auth on', () => forced!],
    ['in secure mode', () => secure!],
  ])('answers 401 without credentials, or with wrong ones, %s', async (_name, gateway) => {
    const { url, home } = gateway();
    await expectRefused(url);
    const { user } = ensureCredentials(home);
    await expectRefused(url, basicAuthHeader({ user, password: 'not-the-password' }));
    // /system/* asked for the same credentials already; health and metrics stay open for probes.
    expect((await fetch(`${url}/system/functions`)).status).toBe(401);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const right = basicAuthHeader(ensureCredentials(home));
    const view = await fetch(`${url}/ui/api/view`, { headers: { authorization: right } });
    expect(view.status).toBe(200);
  });

  it('logs in from a browser in secure mode and gets the live page, its Kafka and InfluxDB panels', async () => {
    const { url, home } = secure!;
    const refused = await openBrowser();
    try {
      // Headless chromium has no prompt to show for the Basic challenge: the navigation fails.
      await expect(refused.page.goto(`${url}/ui/`)).rejects.toThrow(/ERR_INVALID_AUTH_CREDENTIALS/);
    } finally {
      await refused.close();
    }
    const { user, password } = ensureCredentials(home);
    const browser = await openBrowser({ httpCredentials: { username: user, password } });
    try {
      const { page, errors } = browser;
      const events: number[] = [];
      page.on('response', (response) => {
        if (response.url().endsWith('/ui/api/events')) events.push(response.status());
      });
      expect((await page.goto(`${url}/ui/`))?.status()).toBe(200);
      // The host panel fills from the event stream, which needs the same credentials.
      await page.waitForFunction(
        () => document.querySelector<HTMLElement>('section[data-id="host"]')?.dataset.state === 'ok',
        undefined,
        { timeout: 30_000, polling: 250 },
      );
      expect((await panelState(page, 'host')).state).toBe('ok');
      // Kafka over SASL_SSL (the tools user) and InfluxDB with the reader's credentials.
      await page.waitForFunction(
        () =>
          document.querySelector<HTMLElement>('section[data-id="dlq"]')?.dataset.state === 'ok' &&
          document.querySelector<HTMLElement>('.tile[data-id="stored-cdn_client_data"]')?.dataset.value ===
            '0',
        undefined,
        { timeout: 30_000, polling: 250 },
      );
      expect(events).toContain(200);
      await screenshot(page, 'dashboard-login');
      expect(errors.filter((error) => /401|Unauthorized/i.test(error))).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('refuses --dashboard-auth off in secure mode before it starts anything', () => {
    const result = spawnSync(process.execPath, [cli, 'gateway', '--port', '1', '--dashboard-auth', 'off'], {
      cwd: projectRoot,
      env: { ...process.env, CDNFAAS_SECURE: 'true', CDNFAAS_HOME: join(tmpdir(), 'cdnfaas-never-created') },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status).not.toBe(0);
    expect(`${result.stdout}${result.stderr}`).toContain('--dashboard-auth off is refused in secure mode');
  });
});
