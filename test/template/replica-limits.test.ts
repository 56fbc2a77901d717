import { describe, expect, it } from 'vitest';
import { echoReplicaForFile } from './support.ts';

// Body size limit (413), exec timeout (504) and the in-flight limit (429) of a replica.
const echo = echoReplicaForFile({ max_body_size: '1kb', exec_timeout: '400ms', max_inflight: '2' });

const post = (
  path: string,
  body: BodyInit,
  headers: Record<string, string> = { 'content-type': 'text/plain' },
) => fetch(`${echo.replica.url}${path}`, { method: 'POST', headers, body, duplex: 'half' } as RequestInit);

async function expectStillServing(): Promise<void> {
  const response = await post('/', 'ok?');
  expect([response.status, await response.text()]).toEqual([200, 'ok?']);
}

describe('body size limit', () => {
  it('accepts a body of exactly max_body_size', async () => {
    const response = await post('/', 'x'.repeat(1024));
    expect(response.status).toBe(200);
    expect((await response.text()).length).toBe(1024);
  });

  it('answers 413 when Content-Length is over the limit', async () => {
    const response = await post('/', 'x'.repeat(1025));
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      message: expect.stringContaining('1024'),
    });
    await expectStillServing();
  });

  it('answers 413 for a chunked body that grows over the limit', async () => {
    const chunks = [new Uint8Array(600).fill(97), new Uint8Array(600).fill(98)];
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = chunks.shift();
        if (next === undefined) controller.close();
        else controller.enqueue(next);
      },
    });
    const response = await post('/', stream as unknown as BodyInit);
    expect(response.status).toBe(413);
    await response.arrayBuffer();
    await expectStillServing();
  });
});

describe('exec timeout', () => {
  it('answers 504 when the handler takes longer than exec_timeout, then keeps serving', async () => {
    const started = performance.now();
    const response = await post('/sleep?ms=3000', 'slow');
    const elapsed = performance.now() - started;
    expect(response.status).toBe(504);
    expect(await response.json()).toMatchObject({ code: 'TIMEOUT' });
    expect(elapsed).toBeGreaterThanOrEqual(390);
    expect(elapsed).toBeLessThan(2500);
    expect(
      echo.replica.logs.some((entry) => entry.msg === 'call exceeded exec_timeout' && entry.level === 'warn'),
    ).toBe(true);
    await expectStillServing();
  });
});

describe('in-flight limit', () => {
  it('answers 429 beyond max_inflight calls at once, and 200 again once they finish', async () => {
    const slow = [post('/sleep?ms=350', 'a'), post('/sleep?ms=350', 'b')];
    await new Promise((resolve) => setTimeout(resolve, 120));
    const rejected = await post('/', 'c');
    expect(rejected.status).toBe(429);
    expect(await rejected.json()).toMatchObject({
      code: 'TOO_MANY_REQUESTS',
      message: expect.stringContaining('2'),
    });
    // Health is not a call: it answers while the replica is busy.
    expect((await fetch(`${echo.replica.url}/_/health`)).status).toBe(200);
    const finished = await Promise.all(slow);
    expect(
      await Promise.all(finished.map(async (response) => [response.status, await response.text()])),
    ).toEqual([
      [200, 'a'],
      [200, 'b'],
    ]);
    await expectStillServing();
  });
});
