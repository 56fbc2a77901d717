// The whole system, as `npm run up` starts it (services, sample data, model, build, gateway with
// the four functions, connector with lag monitor and autoscaler), then a replay of the sample
// data while the dashboard is open in a real browser: its charts must show the records flowing,
// the predictions stored, the lag the replay causes and the replicas serving.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../lib/ports.ts';
import { stopBackground } from '../../deploy/local/pipeline/background.ts';
import { sampleDataFile } from '../../deploy/local/pipeline/model.ts';
import { pipelineUp } from '../../deploy/local/pipeline/up.ts';
import { readCsvRecords } from '../../simulator/csv-rows.ts';
import { replay } from '../../simulator/replay.ts';
import { loadConfig, type SystemConfig } from '../../system/config.ts';
import { kafkaConnection } from '../../system/kafka-connection.ts';
import { browserForSuite, expectPanelsCharted, panelState, screenshot } from './support/browser.ts';

describe('the dashboard of the whole running system', () => {
  const chrome = browserForSuite();
  let config: SystemConfig;
  let dashboardUrl: string;
  let temporaryHome: string | undefined;
  const saved = { GATEWAY_PORT: process.env.GATEWAY_PORT, CDNFAAS_HOME: process.env.CDNFAAS_HOME };

  beforeAll(async () => {
    // A port of its own for the gateway; the children `up` starts inherit it.
    process.env.GATEWAY_PORT = String(await freePort());
    if (process.env.KAFKA_BROKERS && process.env.INFLUX_URL) {
      // External services: a home of its own, so nothing of a developer's running system is touched.
      temporaryHome = mkdtempSync(join(tmpdir(), 'cdnfaas-whole-'));
      process.env.CDNFAAS_HOME = temporaryHome;
    }
    config = loadConfig();
    if (temporaryHome) {
      mkdirSync(dirname(config.influxdb.tokenFile), { recursive: true });
      writeFileSync(config.influxdb.tokenFile, `${process.env.INFLUX_TOKEN ?? 'no-auth'}\n`);
    }
    const log = (line: string) => process.stderr.write(`  up: ${line.trim()}\n`);
    ({ dashboardUrl } = await pipelineUp(config, { replay: false, sampleRows: 5_000, log }));
  }, 900_000);

  afterAll(async () => {
    // Only what `up` started here; the services belong to the integration setup.
    if (config) for (const name of ['connector', 'gateway'] as const) await stopBackground(config, name);
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    if (temporaryHome) rmSync(temporaryHome, { recursive: true, force: true });
  }, 120_000);

  it('charts the replayed records, their predictions, the lag and the replicas', async () => {
    const { page, errors } = chrome.browser;
    await page.goto(dashboardUrl);
    await page.waitForFunction(
      () => document.querySelector('section[data-id="replicas"]')?.getAttribute('data-state') === 'ok',
      undefined,
      {
        timeout: 30_000,
      },
    );

    const storedTile = (tile: string) =>
      page.evaluate(
        (id) => Number(document.querySelector<HTMLElement>(`.tile[data-id="${id}"]`)?.dataset.value || 0),
        tile,
      );
    await page.waitForFunction(
      () =>
        document.querySelector('.tile[data-id="stored-predictions"]')?.getAttribute('data-state') !== null,
      undefined,
      {
        timeout: 30_000,
      },
    );
    const before = {
      records: await storedTile('stored-cdn_client_data'),
      predictions: await storedTile('stored-predictions'),
    };

    const records = await readCsvRecords(sampleDataFile(config));
    const replayed = await replay(records, { kafka: kafkaConnection(config), topic: 'cdn_raw' });
    expect(replayed.sent).toBe(records.length);

    const charted = ['throughput', 'clusters', 'lag', 'replicas'];
    const states = await expectPanelsCharted(page, charted, { timeout: 120_000, polling: 500 });
    for (const [panel, state] of states) expect(state.max, panel).toBeGreaterThan(0);
    // This run's records and predictions reach InfluxDB, and the tiles count them.
    await page.waitForFunction(
      (counts) =>
        Object.entries(counts).every(
          ([tile, count]) =>
            Number(document.querySelector<HTMLElement>(`.tile[data-id="${tile}"]`)?.dataset.value || 0) >
            count,
        ),
      { 'stored-cdn_client_data': before.records, 'stored-predictions': before.predictions },
      { timeout: 120_000, polling: 500 },
    );
    const functionsTable = await page.locator('section[data-id="functions"] tbody').innerText();
    for (const fn of ['provide', 'predict', 'load-data', 'load-predictions'])
      expect(functionsTable).toContain(fn);
    const lagTable = await page.locator('section[data-id="lag-status"] tbody').innerText();
    expect(lagTable).toContain('cdnfaas-predict');
    expect(
      (await panelState(page, 'lag-status')).message,
      'the lag monitor answers, so groups have a Burrow status',
    ).toBe('');
    await page.waitForTimeout(2_500);
    console.log(`screenshot: ${await screenshot(page, 'dashboard-whole-system')}`);
    expect(errors).toEqual([]);
  });
});
