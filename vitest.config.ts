import { defineConfig } from 'vitest/config';

// Unit tests sit beside the code (x.test.ts) and need no services. Integration tests live in
// test/ and get real Kafka and InfluxDB from the global setup, which starts whatever is missing.
const lastPass = process.env.CDNFAAS_TEST_PASS === 'last';

export default defineConfig({
  test: {
    dangerouslyIgnoreUnhandledErrors: false,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['**/*.test.ts'],
          exclude: ['node_modules/**', 'test/**', '.cdnfaas/**', 'build/**'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          // The Grafana queries against a real Prometheus run in a second pass, after every other
          // integration test: the whole system they start and scale disturbed the lag-scaling
          // test when it ran later in the same pass (npm test runs both passes).
          include: lastPass ? ['test/dashboard/grafana-promql.test.ts'] : ['test/**/*.test.ts'],
          exclude: lastPass ? [] : ['test/dashboard/grafana-promql.test.ts'],
          globalSetup: ['test/setup/services.ts'],
          testTimeout: 120_000,
          hookTimeout: 600_000,
          fileParallelism: false,
          // Two timing-bound tests (the lag autoscaler's scale-down windows, Prometheus scrapes of
          // the Grafana queries) failed in full runs on a loaded 2-core machine and pass alone; a
          // test is run again, whole and with every assertion, before it counts as failed.
          retry: 2,
        },
      },
    ],
  },
});
