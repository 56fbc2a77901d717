// Configuration of Prometheus and AlertManager for OpenFaaS-style HTTP autoscaling, as pure
// functions of the ports and timings: Prometheus scrapes the gateway and the connector and
// evaluates APIHighInvocationRate; AlertManager posts its notifications to the gateway's
// /system/alert with the gateway's basic auth, the password read from its file (never inline).
import { stringify } from 'yaml';

export const prometheusBinary = '/usr/bin/prometheus';
export const alertmanagerBinary = '/usr/bin/prometheus-alertmanager';

/** Timings of the rule and of AlertManager's notifications; defaults are OpenFaaS's. */
export interface AlertTimings {
  /** Scrape and rule evaluation interval. */
  scrapeInterval: string;
  /** The rate() window of APIHighInvocationRate (OpenFaaS: 10s). */
  rateWindow: string;
  /** How long the rule must hold before it fires (OpenFaaS: 5s). */
  for: string;
  /** Requests per second per replica above which it holds (OpenFaaS: 5). */
  threshold: number;
  groupWait: string;
  groupInterval: string;
  /** A still-firing alert is notified again after this: one more scale step each time. */
  repeatInterval: string;
}

export const openfaasTimings: AlertTimings = {
  // OpenFaaS scrapes the gateway every 5 s; 2 s gives the 10 s window five samples instead of two.
  scrapeInterval: '2s',
  rateWindow: '10s',
  for: '5s',
  threshold: 5,
  groupWait: '5s',
  groupInterval: '10s',
  repeatInterval: '30s',
};

/**
 * APIHighInvocationRate per replica. OpenFaaS's chart divides with `ignoring(function_name)
 * group_left()`, which matches every function against every other and fails with "duplicate
 * series" as soon as two functions are deployed; `on(function_name)` pairs each function's
 * rate with its own replica count, which is what the rule means.
 */
export function invocationRateExpr(timings: Pick<AlertTimings, 'rateWindow' | 'threshold'>): string {
  return (
    `sum by (function_name) (rate(gateway_function_invocation_total{code="200"}[${timings.rateWindow}]))` +
    ` / on (function_name) max by (function_name) (gateway_service_count) > ${timings.threshold}`
  );
}

export interface PrometheusFileInput {
  gatewayTarget: string;
  connectorTarget: string;
  alertmanagerTarget: string;
  rulesFile: string;
  timings: AlertTimings;
}

const header =
  '# Written by cdnfaas (deploy/local/monitoring-files.ts) at each start; edits are overwritten.\n';

export function renderPrometheusConfig(input: PrometheusFileInput): string {
  return (
    header +
    stringify(
      {
        global: {
          scrape_interval: input.timings.scrapeInterval,
          evaluation_interval: input.timings.scrapeInterval,
        },
        rule_files: [input.rulesFile],
        alerting: { alertmanagers: [{ static_configs: [{ targets: [input.alertmanagerTarget] }] }] },
        // The gateway's and the connector's /metrics are open, as in OpenFaaS. Function replicas
        // expose no metrics of their own: the gateway counts their calls.
        scrape_configs: [
          { job_name: 'gateway', static_configs: [{ targets: [input.gatewayTarget] }] },
          { job_name: 'connector', static_configs: [{ targets: [input.connectorTarget] }] },
        ],
      },
      { lineWidth: 0 },
    )
  );
}

export function renderAlertRules(timings: AlertTimings): string {
  return (
    header +
    stringify(
      {
        groups: [
          {
            name: 'openfaas',
            rules: [
              { alert: 'service_down', expr: 'up == 0' },
              {
                alert: 'APIHighInvocationRate',
                expr: invocationRateExpr(timings),
                for: timings.for,
                labels: { service: 'gateway', severity: 'major' },
                annotations: {
                  description: 'High invocation total on "{{$labels.function_name}}"',
                  summary: 'High invocation total on "{{$labels.function_name}}"',
                },
              },
            ],
          },
        ],
      },
      { lineWidth: 0 },
    )
  );
}

export interface AlertmanagerFileInput {
  gatewayUrl: string;
  user: string;
  passwordFile: string;
  timings: AlertTimings;
}

export function renderAlertmanagerConfig(input: AlertmanagerFileInput): string {
  return (
    header +
    stringify(
      {
        route: {
          group_by: ['alertname', 'cluster', 'service'],
          group_wait: input.timings.groupWait,
          group_interval: input.timings.groupInterval,
          repeat_interval: input.timings.repeatInterval,
          receiver: 'scale-up',
          routes: [{ matchers: ['service="gateway"', 'severity="major"'], receiver: 'scale-up' }],
        },
        receivers: [
          {
            name: 'scale-up',
            webhook_configs: [
              {
                url: `${input.gatewayUrl}/system/alert`,
                send_resolved: true,
                http_config: { basic_auth: { username: input.user, password_file: input.passwordFile } },
              },
            ],
          },
        ],
      },
      { lineWidth: 0 },
    )
  );
}
