import { defineConfig } from 'vitest/config';

// Unit tests sit beside the code (x.test.ts) and need no services. Integration tests live in
// test/ and get real Kafka and InfluxDB from the global setup, which starts whatever is missing.
const ownPass: Record<string, string> = {
  promql: 'test/dashboard/grafana-promql.test.ts',
};
const pass = process.env.CDNFAAS_TEST_PASS;
// Test files run the connector in their own process (vitest's forks inherit this environment):
// its librdkafka calls wait in libuv's thread pool, which the default four threads would make a
// queue (deploy/local/pipeline/background.ts sets the same for `cdnfaas connector`).
process.env.UV_THREADPOOL_SIZE ??= '16';

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
          // The Grafana queries need a whole system and a real Prometheus of their own: npm test
          // runs them in a pass after the others.
          include: pass === undefined ? ['test/**/*.test.ts'] : [ownPass[pass]!],
          exclude: pass === undefined ? Object.values(ownPass) : [],
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
