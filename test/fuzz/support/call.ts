// Calls a function handler in process as the template's server does, and checks the answer's shape.
import { expect } from 'vitest';
import type { FunctionEvent, Handler } from '../../../template/node20-ts/function.ts';
import { CallContext } from '../../../template/node20-ts/response.ts';

export interface Answer {
  status: number;
  body: unknown;
}

export async function call(
  handler: Handler,
  body: unknown,
  contentType: string | undefined,
): Promise<Answer> {
  let settled: unknown;
  const context = new CallContext((outcome) => (settled = outcome.value));
  const event: FunctionEvent = {
    body,
    headers: contentType === undefined ? {} : { 'content-type': contentType },
    method: 'POST',
    query: {},
    path: '/',
  };
  const returned = await handler(event, context);
  return { status: context.statusCode, body: context.outcome === undefined ? returned : settled };
}

/** A clear rejection: 400 with the error code and a message that says what is wrong, of bounded size. */
export function expectClearRejection(answer: Answer): void {
  expect(answer.status).toBe(400);
  const body = answer.body as { code?: unknown; message?: unknown };
  expect(body.code).toBe('INVALID_INPUT');
  expect(typeof body.message).toBe('string');
  expect((body.message as string).length).toBeGreaterThan(5);
  expect((body.message as string).length).toBeLessThan(4_000);
}
