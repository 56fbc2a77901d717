import { describe, expect, it } from 'vitest';
import type { Subscription } from './subscription.ts';
import {
  deadLetterMaxBytes,
  defaultMaxMessageBytes,
  dlqHeader,
  oneRecordBatchBytes,
  planPublish,
} from './publish-plan.ts';
import { recordSize, type BufferedRecord } from './records.ts';
import type { Verdict } from './resolve-batch.ts';

const spec: Subscription = {
  name: 'provide',
  image: 'cdnfaas/provide:0.2.0',
  topic: 'cdn_raw',
  outputs: ['cdn_data', 'cdn_client_data_storage'],
  delivery: 'transactional',
  batch: { maxRecords: 10, maxBytes: 10_000, maxWaitMs: 5 },
  timeoutMs: 1000,
  concurrencyPerReplica: 1,
  replicas: 1,
  inputFromStack: false,
};

function record(
  offset: number,
  value: string,
  commitOffset: string | undefined = undefined,
  partition = 2,
): BufferedRecord {
  const key = Buffer.from(`k${offset}`);
  const bytes = Buffer.from(value);
  return {
    topic: 'cdn_raw',
    partition,
    offset: String(offset),
    key,
    value: bytes,
    size: recordSize(key, bytes),
    commitOffset,
    receivedAt: 0,
    producedAt: 0,
  };
}

describe('planPublish', () => {
  it('sends every output to every output topic, rejected records to the DLQ, and commits past the batch', () => {
    const records = [record(10, '{"a":1}'), record(11, 'garbage'), record(12, '{"a":3}', '14')];
    const plan = planPublish(
      spec,
      records,
      [
        { status: 'ok', outputs: [{ key: 'k10', value: { a: 1 } }] },
        { status: 'rejected', reason: 'value is not JSON', by: 'connector' },
        {
          status: 'ok',
          outputs: [
            { key: 'x', value: 1 },
            { key: 'y', value: 2 },
          ],
        },
      ],
      [],
      new Date('2026-01-01T00:00:00Z'),
    );
    expect(plan.offsets).toEqual([{ partition: 2, offset: '14' }]);
    expect(plan.outputRecords).toBe(6);
    expect(plan.topicMessages.map((t) => [t.topic, t.messages.length])).toEqual([
      ['cdn_data', 3],
      ['cdn_client_data_storage', 3],
      ['cdn_raw.dlq', 1],
    ]);
    expect(plan.topicMessages[0]!.messages.map((m) => m.value)).toEqual(['{"a":1}', '1', '2']);
    const dead = plan.topicMessages[2]!.messages[0]!;
    expect(dead.value).toEqual(Buffer.from('garbage'));
    expect(dead.key).toEqual(Buffer.from('k11'));
    expect(dead.headers).toEqual({
      [dlqHeader.function]: 'provide',
      [dlqHeader.image]: 'cdnfaas/provide:0.2.0',
      [dlqHeader.reason]: 'value is not JSON',
      [dlqHeader.rejectedBy]: 'connector',
      [dlqHeader.sourceTopic]: 'cdn_raw',
      [dlqHeader.sourcePartition]: '2',
      [dlqHeader.sourceOffset]: '11',
      [dlqHeader.deadLetteredAt]: '2026-01-01T00:00:00.000Z',
    });
  });

  it('leaves the value out of a dead letter the dead-letter topic could not take, and says so', () => {
    const huge = 'x'.repeat(deadLetterMaxBytes);
    const plan = planPublish(
      spec,
      [record(20, huge), record(21, 'y'.repeat(deadLetterMaxBytes - 1_000))],
      [
        { status: 'rejected', reason: 'too big', by: 'connector' },
        { status: 'rejected', reason: 'not JSON', by: 'connector' },
      ],
    );
    const [omitted, kept] = plan.topicMessages[0]!.messages;
    expect(omitted!.value).toBeNull();
    expect(omitted!.key).toEqual(Buffer.from('k20'));
    expect(omitted!.headers![dlqHeader.valueOmittedBytes]).toBe(String(deadLetterMaxBytes));
    expect(omitted!.headers![dlqHeader.sourceOffset]).toBe('20');
    expect((kept!.value as Buffer).length).toBe(deadLetterMaxBytes - 1_000);
    expect(kept!.headers![dlqHeader.valueOmittedBytes]).toBeUndefined();
    expect(plan.deadLetters).toHaveLength(2);
  });

  it('measures a one-record batch as Kafka does (61-byte header, varint lengths)', () => {
    expect(oneRecordBatchBytes(null, 0)).toBe(61 + 1 + 6);
    expect(oneRecordBatchBytes(3, 10)).toBe(61 + 1 + (3 + 1 + 3 + 1 + 10 + 1));
    // 1,048,500 bytes: a 3-byte value length and a 3-byte record length.
    expect(oneRecordBatchBytes(8, 1_048_500)).toBe(61 + 3 + (3 + 1 + 8 + 3 + 1_048_500 + 1));
  });

  it('dead-letters the input of an output too large for an output topic instead of retrying it forever', () => {
    // The largest JSON string value whose batch the broker still takes, and one byte more.
    const fits = 'x'.repeat(defaultMaxMessageBytes - (61 + 3 + 3 + 1 + 3 + 3 + 1) - 2);
    expect(oneRecordBatchBytes(3, fits.length + 2)).toBe(defaultMaxMessageBytes);
    const plan = planPublish(
      spec,
      [record(30, '{"a":1}'), record(31, '{"a":2}'), record(32, '{"a":3}')],
      [
        { status: 'ok', outputs: [{ key: 'k30', value: fits }] },
        { status: 'ok', outputs: [{ key: 'k31', value: `${fits}x` }] },
        { status: 'ok', outputs: [{ key: 'k32', value: { a: 3 } }] },
      ],
    );
    expect(plan.topicMessages.map((t) => [t.topic, t.messages.length])).toEqual([
      ['cdn_data', 2],
      ['cdn_client_data_storage', 2],
      ['cdn_raw.dlq', 1],
    ]);
    expect(plan.outputRecords).toBe(4);
    const [dead] = plan.deadLetters;
    expect(dead!.record.offset).toBe('31');
    expect(dead!.by).toBe('connector');
    expect(dead!.reason).toBe(
      "function output of 1048589 bytes (as a record batch) exceeds 1048588 bytes, the broker's default max.message.bytes",
    );
    expect(plan.offsets).toEqual([{ partition: 2, offset: '33' }]);
  });

  it('publishes nothing but the offset when every record was consumed without output', () => {
    const plan = planPublish(spec, [record(1, '{}')], [{ status: 'ok', outputs: [] }]);
    expect(plan.topicMessages).toEqual([]);
    expect(plan.offsets).toEqual([{ partition: 2, offset: '2' }]);
  });

  it('commits every partition of the cycle past its own last record, and partitions that only moved', () => {
    const records = [record(5, '{}', undefined, 0), record(7, '{}', undefined, 1), record(6, '{}', '9', 0)];
    const ok: Verdict = { status: 'ok', outputs: [] };
    const plan = planPublish(
      spec,
      records,
      [ok, ok, ok],
      [
        { partition: 3, offset: '40' },
        { partition: 1, offset: '99' },
      ],
    );
    expect(plan.offsets).toEqual([
      { partition: 0, offset: '9' },
      { partition: 1, offset: '8' },
      { partition: 3, offset: '40' },
    ]);
  });

  it('sends each output to its input partition number when the output partition counts are known', () => {
    const ok = (key: string): Verdict => ({ status: 'ok', outputs: [{ key, value: key }] });
    const records = [
      record(1, '{}', undefined, 0),
      record(2, '{}', undefined, 4),
      record(3, '{}', undefined, 5),
    ];
    const plan = planPublish(
      spec,
      records,
      [ok('a'), ok('b'), ok('c')],
      [],
      new Date(),
      new Map([['cdn_data', 4]]),
    );
    expect(plan.topicMessages[0]!.messages.map((m) => [m.key, m.partition])).toEqual([
      ['a', 0],
      ['b', 0],
      ['c', 1],
    ]);
    expect(plan.topicMessages[1]!.messages.every((m) => m.partition === undefined)).toBe(true);
  });

  it('commits only positions when a cycle took no records', () => {
    const plan = planPublish(spec, [], [], [{ partition: 4, offset: '12' }]);
    expect(plan).toMatchObject({
      topicMessages: [],
      outputRecords: 0,
      offsets: [{ partition: 4, offset: '12' }],
    });
  });

  it('refuses verdicts that do not match the records', () => {
    expect(() => planPublish(spec, [record(1, '{}')], [])).toThrow(/one verdict per record/);
    expect(() => planPublish(spec, [], [])).toThrow(/something to commit/);
  });
});
