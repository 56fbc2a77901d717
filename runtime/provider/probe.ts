import { request } from 'node:http';

/**
 * One health check: GET path on a fresh connection, true on 200 within the timeout. A fresh
 * connection keeps probes out of the request pool, so a busy pool never fails a probe.
 */
export function probeHealth(port: number, path: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: 'GET', agent: false, timeout: timeoutMs },
      (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}
