import { afterAll, beforeAll } from 'vitest';
import type { ConnectorService } from '../../../connectors/kafka/service.ts';
import { stageStack, startHarness, type Harness } from './harness.ts';

/** What the tests of one describe block share; read it inside the tests, once the hooks ran. */
export interface StageSuite {
  readonly harness: Harness;
  /** The connector started with the harness (only with `{ connector: true }`). */
  readonly connector: ConnectorService;
}

/**
 * Registers the hooks of a describe block whose tests share one harness with the stage function
 * built: started before the first test, with a running connector when `connector` is set, and
 * closed after the last.
 */
export function stageSuite(options: { connector?: boolean } = {}): StageSuite {
  let harness: Harness | undefined;
  let connector: ConnectorService | undefined;
  beforeAll(async () => {
    harness = await startHarness([{ stack: stageStack, function: 'stage' }]);
    if (options.connector === true) connector = await harness.startConnector();
  });
  afterAll(async () => harness?.close());
  return {
    get harness() {
      return started(harness, 'harness');
    },
    get connector() {
      return started(connector, 'connector');
    },
  };
}

function started<T>(value: T | undefined, what: string): T {
  if (value === undefined)
    throw new Error(`the suite's ${what} is not started (asked for outside its tests?)`);
  return value;
}
