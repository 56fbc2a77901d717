/** A steady request rate against the gateway over keep-alive connections, recording every outcome. */
import { Pool } from 'undici';

export interface Outcome {
  startedAt: number;
  endedAt: number;
  status: number;
  body: string;
  error?: string;
}

export interface SteadyLoad {
  /** Requests sent and not yet answered. */
  inFlight(): number;
  outcomes: Outcome[];
  stop(): Promise<Outcome[]>;
}

export function steadyLoad(options: {
  url: string;
  path: string;
  ratePerSecond: number;
  method?: 'GET' | 'POST';
  body?: string;
}): SteadyLoad {
  const origin = new URL(options.url).origin;
  const pool = new Pool(origin, { connections: 64, pipelining: 1 });
  const outcomes: Outcome[] = [];
  const pending = new Set<Promise<void>>();
  const started = performance.now();
  let sent = 0;
  let stopped = false;

  const sendOne = (): void => {
    const startedAt = performance.now();
    const call = pool
      .request({
        origin,
        path: options.path,
        method: options.method ?? 'GET',
        body: options.body ?? null,
        headersTimeout: 30_000,
        bodyTimeout: 30_000,
      })
      .then(async (res) => {
        const body = await res.body.text();
        outcomes.push({ startedAt, endedAt: performance.now(), status: res.statusCode, body });
      })
      .catch((error: Error) => {
        outcomes.push({
          startedAt,
          endedAt: performance.now(),
          status: 0,
          body: '',
          error: `${(error as { code?: string }).code ?? ''} ${error.message}`,
        });
      })
      .finally(() => pending.delete(call));
    pending.add(call);
  };

  const timer = setInterval(() => {
    if (stopped) return;
    const due = Math.floor(((performance.now() - started) / 1000) * options.ratePerSecond);
    while (sent < due) {
      sent++;
      sendOne();
    }
  }, 2);

  return {
    inFlight: () => pending.size,
    outcomes,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await Promise.all([...pending]);
      await pool.close();
      return outcomes;
    },
  };
}
