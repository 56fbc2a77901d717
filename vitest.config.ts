import { defineConfig } from 'vitest/config';

// Unit tests sit beside the code (x.test.ts) and need no services. Integration tests live in
// test/ and get real Kafka and InfluxDB from the global setup, which starts whatever is missing.
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
          include: ['test/**/*.test.ts'],
          globalSetup: ['test/setup/services.ts'],
          testTimeout: 120_000,
          hookTimeout: 600_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
