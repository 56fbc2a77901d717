/**
 * Every PromQL query of the generated Grafana dashboards returns at least one series from a real
 * Prometheus scraping a running system (gateway, connector, lag autoscaler, four functions)
 * after some traffic: records through the pipeline, a record that is not JSON (a dead letter),
 * and a function call that fails. A query that returns nothing fails the test by its panel and
 * text: it names a metric or label the system does not write (or writes under another name).
 * With CI=true a missing Prometheus fails instead of skipping.
 */
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { servicesDown, servicesUp } from '../../deploy/local/index.ts';
import { prometheusBinary } from '../../deploy/local/monitoring-files.ts';
import { buildDashboards } from '../../deploy/grafana/generator/dashboards.ts';
import { freePort } from '../../lib/ports.ts';
import { readCsvRecords } from '../../simulator/csv-rows.ts';
import { sampleDataFile } from '../../deploy/local/pipeline/model.ts';
import { loadConfig, type SystemConfig } from '../../system/config.ts';
import { startSystem, type RunningSystem } from '../support/system.ts';

interface PanelQuery {
  dashboard: string;
  panel: string;
  expr: string;
}

/** The PromQL of every panel, with Grafana's $__rate_interval as a window wide enough for 1 s scrapes. */
function promQueries(): PanelQuery[] {
  const queries: PanelQuery[] = [];
  for (const { file, dashboard } of buildDashboards('cdn_client_data_storage')) {
    const panels = (JSON.parse(JSON.stringify(dashboard)) as { panels?: unknown[] }).panels ?? [];
    for (const panel of panels as Array<{ title?: string; targets?: Array<{ expr?: string }> }>) {
      for (const target of panel.targets ?? []) {
        if (target.expr)
          queries.push({
            dashboard: file,
            panel: panel.title ?? '',
            expr: target.expr.replaceAll('$__rate_interval', '2m'),
          });
      }
    }
  }
  return queries;
}

async function seriesOf(prometheusUrl: string, expr: string): Promise<number> {
  const response = await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(expr)}`);
  const body = (await response.json()) as { status: string; error?: string; data?: { result: unknown[] } };
  if (body.status !== 'success') throw new Error(`${expr}: ${body.error ?? response.status}`);
  return body.data!.result.length;
}

const installed = existsSync(prometheusBinary);
const ci = process.env.CI === 'true' || process.env.CI === '1';

describe.runIf(installed || ci)('Grafana dashboards against a real Prometheus', () => {
  let system: RunningSystem | undefined;
  let prometheusConfig: SystemConfig | undefined;
  afterAll(async () => {
    if (prometheusConfig) await servicesDown(prometheusConfig, { only: ['prometheus'] });
    await system?.stop();
  });

  it('every PromQL query returns at least one series after traffic', async () => {
    expect(installed, `${prometheusBinary} is required when CI=true: apt-get install prometheus`).toBe(true);
    system = await startSystem({ label: 'promql' });
    prometheusConfig = {
      ...system.config,
      gateway: { port: Number(new URL(system.gatewayUrl).port) },
      connector: { ...system.config.connector, port: Number(new URL(system.connectorUrl).port) },
      prometheus: { port: await freePort() },
      alertmanager: { port: await freePort() },
    };
    const [report] = await servicesUp(prometheusConfig, {
      only: ['prometheus'],
      prometheus: { timings: { scrapeInterval: '1s' } },
    });
    expect(report?.state).toBe('running');
    const prometheusUrl = `http://127.0.0.1:${prometheusConfig.prometheus.port}`;

    const records = (await readCsvRecords(sampleDataFile(loadConfig()))).slice(0, 2_000);
    await system.replay(records);
    await system.produceRaw(['this is not JSON']);
    const auth = `Basic ${Buffer.from(`${system.credentials.user}:${system.credentials.password}`).toString('base64')}`;
    const systemCall = (method: string, path: string, body: unknown) =>
      fetch(`${system!.gatewayUrl}${path}`, {
        method,
        headers: { authorization: auth, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    // A server error in gateway_function_invocation_total: load-data's image, called over HTTP,
    // with an InfluxDB address where nothing listens, so its write fails.
    const loadData = (await (
      await fetch(`${system.gatewayUrl}/system/function/${system.functions['load-data']}`, {
        headers: { authorization: auth },
      })
    ).json()) as { image: string; envVars?: Record<string, string>; secrets?: string[] };
    const broken = `broken-${system.id}`;
    expect(
      (
        await systemCall('POST', '/system/functions', {
          service: broken,
          image: loadData.image,
          secrets: loadData.secrets ?? [],
          envVars: { ...loadData.envVars, INFLUX_URL: `http://127.0.0.1:${await freePort()}` },
        })
      ).status,
    ).toBe(202);
    let brokenCode = 0;
    for (let attempt = 0; attempt < 60 && brokenCode < 500; attempt++) {
      const response = await fetch(`${system.gatewayUrl}/function/${broken}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          sample_id: '6f1c2a4e-0b7d-5c3e-9a1f-2d4b6c8e0f13',
          channel_id: 3,
          timestamp: '2088-05-17T13:02:08Z',
          host_id: 120,
          content_type: 2,
          protocol: 1,
          content_id: -1,
          geo_location: 4411,
          user_id: 13,
        }),
      });
      brokenCode = response.status;
      await response.body?.cancel();
      if (brokenCode < 500) await sleep(500);
    }
    expect(brokenCode, 'a call of load-data with no InfluxDB to write to').toBeGreaterThanOrEqual(500);
    // A scale call of the lag autoscaler: provide scaled to 0 by hand goes back to its min of 1.
    await systemCall('POST', `/system/scale-function/${system.functions.provide}`, {
      serviceName: system.functions.provide,
      replicas: 0,
    });
    await system.waitForStored(records.length - 1, { timeoutMs: 120_000 }).catch(() => undefined);
    await sleep(5_000);

    const empty: string[] = [];
    for (const query of promQueries()) {
      if ((await seriesOf(prometheusUrl, query.expr)) === 0)
        empty.push(`${query.dashboard} / ${query.panel}: ${query.expr}`);
    }
    expect(empty, `queries without series:\n${empty.join('\n')}`).toEqual([]);
  }, 400_000);
});
