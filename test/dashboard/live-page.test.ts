// The live dashboard in a real browser: the plugin mounted on a real gateway (echo replicas as
// processes), with Kafka offsets, the lag monitor's Burrow status over the connector's HTTP API,
// InfluxDB predictions and points, the gateway's own metrics and this host. Data is made here,
// under names no other test uses; the page must show it, and a failing source only on its panels.
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basicAuthHeader } from '../../lib/basic-auth.ts';
import { groupIdFor } from '../../contracts/kafka-names.ts';
import { createKafka } from '../../lib/kafka.ts';
import { kafkaConnection } from '../../system/kafka-connection.ts';
import { buildServer } from '../../connectors/kafka/server.ts';
import { providerFunctions } from '../../dashboard/gateway-mount.ts';
import { registerDashboard } from '../../dashboard/plugin.ts';
import { connectorLag } from '../../dashboard/sources/connector.ts';
import { metricsFromUrl } from '../../dashboard/sources/gateway.ts';
import { hostSource } from '../../dashboard/sources/host.ts';
import { createQueryApi, readPredictionWindows, readStoredCounts } from '../../dashboard/sources/influx.ts';
import { createDeadLetterCounter } from '../../dashboard/sources/dead-letters.ts';
import { createDashboardAdmin, readTopicOffsets } from '../../dashboard/sources/kafka.ts';
import { createLogger } from '../../lib/logger.ts';
import { buildStack } from '../../runtime/build/index.ts';
import { ensureCredentials } from '../../runtime/gateway/credentials.ts';
import { createGateway, listenGateway, type Gateway } from '../../runtime/gateway/server.ts';
import { LocalImageStore } from '../../runtime/images/store.ts';
import { LagMonitor } from '../../scaling/lag/monitor.ts';
import { loadConfig, projectRoot } from '../../system/config.ts';
import { browserForSuite, expectPanelsCharted, panelState, screenshot } from './support/browser.ts';
import {
  commitAtStart,
  dropMeasurements,
  streamRecords,
  testInfluxToken,
  writeClientData,
  writePredictions,
} from './support/pipeline-data.ts';

const config = loadConfig();
const id = `dash${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const rawTopic = `${id}-raw`;
const dlqTopic = `${id}-raw.dlq`;
const fn = `echo-${id}`;
const predictionsMeasurement = `${id}_predictions`;
const clientDataMeasurement = `${id}_cdn_client_data`;
const logger = createLogger({ service: 'dashboard-test', level: 'silent' });

describe('the live dashboard at /ui', () => {
  const chrome = browserForSuite();
  let home: string;
  let gateway: Gateway;
  let gatewayUrl: string;
  let connectorApi: FastifyInstance;
  let monitor: LagMonitor;
  const kafka = createKafka(kafkaConnection(config), { clientId: 'cdnfaas-dashboard-test', logger });
  const admin = kafka.admin();
  let stream: { stop: () => Promise<number> } | undefined;
  let invoking: NodeJS.Timeout | undefined;

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'cdnfaas-dashboard-'));
    const store = new LocalImageStore(join(home, 'images'));
    await buildStack({
      stackFile: join(projectRoot, 'test/fixtures/stack.echo.yml'),
      filter: 'echo',
      config: { home },
      store,
    });
    gateway = createGateway({ home, projectRoot, images: store, logger });

    await admin.connect();
    await admin.createTopics({
      topics: [
        { topic: rawTopic, numPartitions: 3 },
        { topic: dlqTopic, numPartitions: 1 },
      ],
      waitForLeaders: true,
    });
    const registry = new Registry();
    monitor = new LagMonitor({
      admin,
      logger,
      registry,
      targets: () => [{ function: fn, groupId: groupIdFor(fn), topic: rawTopic }],
      intervalMs: 500,
      windowSize: 3,
    });
    connectorApi = buildServer({
      registry,
      health: () => ({ ok: true, detail: {} }),
      functions: () => [],
      lag: () => monitor.reports(),
      scaling: () => undefined,
    });
    const connectorUrl = await connectorApi.listen({ host: '127.0.0.1', port: 0 });

    const dashboardAdmin = createDashboardAdmin(kafkaConnection(config));
    const deadLetters = createDeadLetterCounter(kafkaConnection(config), [dlqTopic]);
    const influx = createQueryApi(config.influxdb.url, testInfluxToken(config), config.influxdb.org, 3000);
    registerDashboard(gateway.app, {
      intervalMs: 1000,
      incomingTopic: rawTopic,
      measurements: [clientDataMeasurement, predictionsMeasurement],
      close: async () => {
        await Promise.all([dashboardAdmin.close(), deadLetters.close()]);
      },
      sources: {
        topicOffsets: () => dashboardAdmin.use((client) => readTopicOffsets(client, [rawTopic, dlqTopic])),
        deadLetters: deadLetters.counts,
        lag: connectorLag(connectorUrl, 2000),
        functions: providerFunctions(gateway.provider),
        // The gateway's own /metrics, on the port it listens on.
        metrics: () =>
          metricsFromUrl(
            `http://127.0.0.1:${(gateway.app.server.address() as AddressInfo).port}/metrics`,
            2000,
          )(),
        predictions: readPredictionWindows(influx, config.influxdb.bucket, {
          measurement: predictionsMeasurement,
          clusterField: 'prediction',
          verdictTag: 'tag',
        }),
        storedCounts: readStoredCounts(influx, config.influxdb.bucket, [
          { measurement: clientDataMeasurement, field: 'sample_id' },
          { measurement: predictionsMeasurement, field: 'sample_id' },
        ]),
        host: hostSource([home]),
      },
    });
    gatewayUrl = await listenGateway(gateway, '127.0.0.1', 0);

    const credentials = ensureCredentials(home);
    const authorization = basicAuthHeader(credentials);
    const deployed = await fetch(`${gatewayUrl}/system/functions`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json' },
      body: JSON.stringify({
        service: fn,
        image: 'cdnfaas/echo:0.1.0',
        annotations: { topic: rawTopic },
        labels: { 'com.openfaas.scale.min': '2' },
      }),
    });
    expect(deployed.status, await deployed.text()).toBeLessThan(300);
    await fetch(`${gatewayUrl}/system/scale-function/${fn}`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json' },
      body: JSON.stringify({ serviceName: fn, replicas: 2 }),
    });

    await Promise.all([
      writePredictions(config, predictionsMeasurement, 600, 60_000),
      writeClientData(config, clientDataMeasurement, 120),
    ]);
    // Dead letters as the connector writes them, inside transactions: each commit adds a marker offset.
    const dlqProducer = kafka.producer({
      transactionalId: `${id}-dlq`,
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await dlqProducer.connect();
    for (let i = 0; i < 5; i++) {
      const transaction = await dlqProducer.transaction();
      await transaction.send({ topic: dlqTopic, messages: [{ value: `rejected ${i}` }] });
      await transaction.commit();
    }
    await dlqProducer.disconnect();
    stream = streamRecords(kafka, rawTopic, 40, 250);
    await commitAtStart(admin, groupIdFor(fn), rawTopic);
    monitor.start();
    invoking = setInterval(
      () =>
        void fetch(`${gatewayUrl}/function/${fn}`, { method: 'POST', body: 'ping' })
          .then((r) => r.arrayBuffer())
          .catch(() => undefined),
      100,
    );
  }, 300_000);

  afterAll(async () => {
    clearInterval(invoking);
    await stream?.stop();
    await monitor?.stop();
    await connectorApi?.close();
    await gateway?.stop();
    await admin.deleteTopics({ topics: [rawTopic, dlqTopic] }).catch(() => undefined);
    await admin.deleteGroups([groupIdFor(fn)]).catch(() => undefined);
    await admin.disconnect();
    await dropMeasurements(config, [predictionsMeasurement, clientDataMeasurement]);
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('charts non-zero records, predictions, lag and replicas, and keeps updating', async () => {
    const { page, errors } = chrome.browser;
    await page.goto(`${gatewayUrl}/ui/`);
    const charted = [
      'throughput',
      'clusters',
      'anomaly',
      'lag',
      'replicas',
      'invocations',
      'latency',
      'host',
    ];
    await expectPanelsCharted(page, charted, { timeout: 45_000, polling: 250 });
    expect((await panelState(page, 'replicas')).max).toBe(2);
    expect((await panelState(page, 'clusters')).max, 'predictions per second of a cluster').toBeGreaterThan(
      0,
    );

    const tile = (tileId: string) => page.locator(`.tile[data-id="${tileId}"]`).getAttribute('data-value');
    expect(Number(await tile(`stored-${clientDataMeasurement}`))).toBe(120);
    expect(Number(await tile(`stored-${predictionsMeasurement}`))).toBe(600);
    // Five dead letters in five transactions: ten offsets, five records.
    await page.waitForFunction(
      () => document.querySelector<HTMLElement>('.tile[data-id="dlq"]')?.dataset.value === '5',
      undefined,
      { timeout: 15_000 },
    );
    expect(await page.locator('section[data-id="dlq"] tbody').innerText()).toMatch(/-raw\.dlq\s+5\s+10/);
    expect(Number(await tile('anomaly-rate'))).toBeCloseTo(10, 0);
    expect(Number(await tile('incoming'))).toBeGreaterThan(0);
    expect(Number(await tile('lag'))).toBeGreaterThan(0);

    // The lag monitor judges the group (it has lag and no consumer): a Burrow status, not UNKNOWN.
    await page.waitForFunction(
      () =>
        /STOP|STALL|WARN|OK/.test(
          document.querySelector('section[data-id="lag-status"] td[data-status]')?.textContent ?? '',
        ),
      undefined,
      { timeout: 15_000 },
    );
    const functionsTable = await page.locator('section[data-id="functions"] tbody').innerText();
    expect(functionsTable).toContain(fn);
    expect(functionsTable).toContain('cdnfaas/echo:0.1.0');
    expect(functionsTable).toContain('2 / 2');

    const updates = Number(await page.locator('body').getAttribute('data-updates'));
    await page.waitForFunction((before) => Number(document.body.dataset.updates) >= before + 2, updates, {
      timeout: 5_000,
    });
    console.log(`screenshot: ${await screenshot(page, 'dashboard-live')}`);
    expect(errors).toEqual([]);
  });

  it('shows a failing source on its own panels only, with the reason', async () => {
    const app = Fastify();
    const unreachable = createQueryApi('http://127.0.0.1:9', 'x', config.influxdb.org, 1000);
    registerDashboard(app, {
      intervalMs: 1000,
      sources: {
        predictions: readPredictionWindows(unreachable, config.influxdb.bucket, {
          measurement: predictionsMeasurement,
          clusterField: 'prediction',
          verdictTag: 'tag',
        }),
        functions: async () => [],
        host: hostSource([tmpdir()]),
      },
    });
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const { page } = chrome.browser;
      await page.goto(`${url}/ui/`);
      await page.waitForFunction(
        () => document.querySelector<HTMLElement>('section[data-id="clusters"]')?.dataset.state === 'error',
        undefined,
        { timeout: 15_000 },
      );
      expect((await panelState(page, 'clusters')).message).toMatch(
        /^InfluxDB predictions unavailable: .*ECONNREFUSED/,
      );
      expect((await panelState(page, 'replicas')).message).toBe('no functions deployed');
      expect((await panelState(page, 'lag')).message).toBe('not configured: no consumer lag source');
      await page.waitForFunction(
        () => Number(document.querySelector<HTMLElement>('section[data-id="host"]')?.dataset.max ?? 0) > 0,
        undefined,
        { timeout: 10_000 },
      );
      expect((await panelState(page, 'host')).state).toBe('ok');
      console.log(`screenshot: ${await screenshot(page, 'dashboard-failing-source')}`);
    } finally {
      await app.close();
    }
  });
});
