import { describe, expect, it } from 'vitest';
import { classifyResponse } from './invoke-outcome.ts';

const ok = JSON.stringify({
  results: [
    { status: 'ok', outputs: [{ key: 'a', value: 1 }] },
    { status: 'rejected', reason: 'bad' },
  ],
});

describe('classifyResponse', () => {
  it('accepts a batch response with one result per record', () => {
    expect(classifyResponse(200, ok, 2)).toEqual({
      kind: 'ok',
      results: [
        { status: 'ok', outputs: [{ key: 'a', value: 1 }] },
        { status: 'rejected', reason: 'bad' },
      ],
    });
  });

  it.each([
    [200, 'not json', 2, 'not JSON'],
    [200, '{"results":[{"status":"maybe"}]}', 1, 'not a batch response'],
    [200, '{"something":"else"}', 1, 'not a batch response'],
    [200, ok, 3, '2 results for 3 records'],
    [500, '{"code":"INTERNAL","message":"boom"}', 2, 'INTERNAL: boom'],
    [502, 'bad gateway', 1, '502'],
    [429, 'busy', 1, '429'],
    [404, 'no such function', 1, '404'],
    [400, '{"code":"INVALID_INPUT","message":"malformed"}', 5, 'INVALID_INPUT: malformed'],
  ])('%d %j for %d records is a failure (%s)', (status, body, count, reason) => {
    const outcome = classifyResponse(status, body, count);
    expect(outcome.kind).toBe('failed');
    if (outcome.kind === 'failed') expect(outcome.reason).toContain(reason);
  });

  it('a 4xx about a single record rejects it with the function message', () => {
    expect(
      classifyResponse(400, '{"code":"INVALID_INPUT","message":"channel_id: expected number"}', 1),
    ).toEqual({
      kind: 'rejected',
      reason: 'function answered 400: INVALID_INPUT: channel_id: expected number',
    });
    expect(classifyResponse(413, 'too large', 1).kind).toBe('rejected');
  });
});
