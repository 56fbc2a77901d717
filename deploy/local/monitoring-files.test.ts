import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  invocationRateExpr,
  openfaasTimings,
  renderAlertRules,
  renderAlertmanagerConfig,
  renderPrometheusConfig,
} from './monitoring-files.ts';
import { parseVersion } from './monitoring-service.ts';

describe('monitoring files', () => {
  it('the rule is OpenFaaS APIHighInvocationRate per replica, 10 s rate, for 5 s', () => {
    const rules = parse(renderAlertRules(openfaasTimings));
    const rule = rules.groups[0].rules.find((r: { alert: string }) => r.alert === 'APIHighInvocationRate');
    expect(rule).toMatchObject({ for: '5s', labels: { service: 'gateway', severity: 'major' } });
    expect(rule.expr).toBe(
      'sum by (function_name) (rate(gateway_function_invocation_total{code="200"}[10s])) / on (function_name) max by (function_name) (gateway_service_count) > 5',
    );
    expect(invocationRateExpr({ rateWindow: '4s', threshold: 2 })).toContain('[4s])) / on (function_name)');
  });

  it('Prometheus scrapes the gateway and the connector and alerts AlertManager', () => {
    const config = parse(
      renderPrometheusConfig({
        gatewayTarget: '127.0.0.1:8080',
        connectorTarget: '127.0.0.1:8082',
        alertmanagerTarget: '127.0.0.1:9095',
        rulesFile: '/home/x/prometheus/alert.rules.yml',
        timings: openfaasTimings,
      }),
    );
    expect(config.scrape_configs.map((job: { job_name: string }) => job.job_name)).toEqual([
      'gateway',
      'connector',
    ]);
    expect(config.alerting.alertmanagers[0].static_configs[0].targets).toEqual(['127.0.0.1:9095']);
    expect(config.rule_files).toEqual(['/home/x/prometheus/alert.rules.yml']);
  });

  it('AlertManager posts to /system/alert with the password by file, OpenFaaS timings', () => {
    const text = renderAlertmanagerConfig({
      gatewayUrl: 'http://127.0.0.1:8080',
      user: 'admin',
      passwordFile: '/home/x/credentials/basic-auth-password',
      timings: openfaasTimings,
    });
    const config = parse(text);
    expect(config.route).toMatchObject({
      group_by: ['alertname', 'cluster', 'service'],
      group_wait: '5s',
      group_interval: '10s',
      repeat_interval: '30s',
    });
    expect(config.receivers[0].webhook_configs[0]).toEqual({
      url: 'http://127.0.0.1:8080/system/alert',
      send_resolved: true,
      http_config: {
        basic_auth: { username: 'admin', password_file: '/home/x/credentials/basic-auth-password' },
      },
    });
    expect(text).not.toMatch(/password:/);
  });

  it.each([
    ['prometheus, version 2.42.0+ds (branch: debian/sid, revision: 2.42.0+ds-5)', '2.42.0+ds'],
    ['alertmanager, version 0.25.0 (branch: debian/sid)', '0.25.0'],
    ['nothing here', undefined],
  ])('parseVersion(%s)', (output, expected) => expect(parseVersion(output)).toBe(expected));
});
