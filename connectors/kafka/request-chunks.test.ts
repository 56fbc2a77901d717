import type { TopicMessages } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { messageBytes, splitIntoRequests } from './request-chunks.ts';

const message = (value: string, key: string | null = null) => ({ key, value });

describe('splitIntoRequests', () => {
  it('keeps a small transaction in one request', () => {
    const input: TopicMessages[] = [
      { topic: 'a', messages: [message('1'), message('2')] },
      { topic: 'a.dlq', messages: [message('x')] },
    ];
    expect(splitIntoRequests(input, 10_000)).toEqual([input]);
  });

  it('splits by bytes and keeps each topic in order across requests', () => {
    const values = Array.from({ length: 10 }, (_, i) => message(`${i}`.padStart(100, '0')));
    const requests = splitIntoRequests([{ topic: 'out', messages: values }], 3 * messageBytes(values[0]!));
    expect(requests.map((request) => request[0]!.messages.length)).toEqual([3, 3, 3, 1]);
    expect(requests.flatMap((request) => request.flatMap((t) => t.messages))).toEqual(values);
    for (const request of requests) {
      expect(
        request.reduce((sum, t) => sum + t.messages.reduce((s, m) => s + messageBytes(m), 0), 0),
      ).toBeLessThanOrEqual(3 * messageBytes(values[0]!));
    }
  });

  it('lets a message larger than the bound travel alone', () => {
    const big = message('x'.repeat(1000));
    const requests = splitIntoRequests([{ topic: 't', messages: [message('a'), big, message('b')] }], 200);
    expect(requests.map((request) => request[0]!.messages.map((m) => String(m.value).length))).toEqual([
      [1],
      [1000],
      [1],
    ]);
  });

  it('counts keys and headers', () => {
    expect(messageBytes({ key: 'kk', value: 'vvv', headers: { reason: 'abcd', list: ['x', 'yy'] } })).toBe(
      32 + 2 + 3 + 'reason'.length + 4 + 'list'.length + 1 + 'list'.length + 2,
    );
  });

  it('answers no request for no messages', () => {
    expect(splitIntoRequests([])).toEqual([]);
  });
});
