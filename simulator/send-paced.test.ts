import type { Kafka, Producer } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { CdnfaasError } from '../lib/errors.ts';
import { dueEnd, evenlySpaced, sendPaced } from './send-paced.ts';

describe('evenlySpaced', () => {
  it('has rate x seconds values due, the first after one interval', () => {
    const schedule = evenlySpaced(['a', 'b', 'c', 'd'], 20);
    expect(schedule.map((entry) => entry.dueMs)).toEqual([50, 100, 150, 200]);
    expect(dueEnd(schedule, 0, 0, 10)).toBe(0);
    expect(dueEnd(schedule, 0, 120, 10)).toBe(2);
    expect(dueEnd(schedule, 0, 60_000, 10)).toBe(4);
    expect(dueEnd(schedule, 1, 60_000, 2)).toBe(3);
  });
});

/**
 * A kafkajs stand-in over a topic of two partitions (led by `leaders`) whose producers fail the
 * sends listed in `failures` and leave unanswered the partitions listed in `skips` (both by send
 * number).
 */
function fakeKafka(
  failures: Record<number, string>,
  connectFailures = 0,
  skips: Record<number, number> = {},
  leaders = [1, 1],
) {
  const topics: string[][] = [];
  let sends = 0;
  let connects = 0;
  let producers = 0;
  const kafka = {
    admin: () => ({
      connect: async () => undefined,
      disconnect: async () => undefined,
      describeCluster: async () => ({ brokers: [...new Set(leaders)].map((nodeId) => ({ nodeId })) }),
      fetchTopicMetadata: async () => ({
        topics: [
          {
            name: 't',
            partitions: leaders.map((leader, partitionId) => ({ partitionId, leader })),
          },
        ],
      }),
    }),
    producer: () => {
      producers += 1;
      return {
        connect: async () => {
          connects += 1;
          if (connects > 1 && connects <= 1 + connectFailures) throw new Error('Connection refused');
        },
        disconnect: async () => undefined,
        send: async ({ messages }: { messages: { value: string; partition: number }[] }) => {
          sends += 1;
          const failure = failures[sends];
          const skipped = skips[sends];
          // Part of a failed chunk may land anyway: the broker wrote it before it died.
          topics.push(
            messages.filter((message) => message.partition !== skipped).map((message) => message.value),
          );
          if (failure !== undefined) throw new Error(failure);
          return [...new Set(messages.map((message) => message.partition))]
            .filter((partition) => partition !== skipped)
            .map((partition) => ({ topicName: 't', partition, errorCode: 0 }));
        },
      } as unknown as Producer;
    },
  } as unknown as Kafka;
  return { kafka, topics, producers: () => producers };
}

describe('sendPaced', () => {
  const schedule = ['1', '2', '3', '4', '5'].map((value) => ({ value, dueMs: 0 }));

  it('sends every value once in chunks when Kafka answers', async () => {
    const fake = fakeKafka({});
    const result = await sendPaced(fake.kafka, 't', schedule, { chunkSize: 2 });
    expect(fake.topics).toEqual([['1', '2'], ['3', '4'], ['5']]);
    expect(result).toMatchObject({ sent: 5, resends: 0, resentRecords: 0, resendReasons: [] });
  });

  it('replaces a producer kafkajs gave up on and counts the chunk sent again', async () => {
    const fake = fakeKafka({ 2: 'OUT_OF_ORDER_SEQUENCE_NUMBER' }, 2);
    const result = await sendPaced(fake.kafka, 't', schedule, { chunkSize: 2 });
    expect(fake.topics).toEqual([['1', '2'], ['3', '4'], ['3', '4'], ['5']]);
    expect(fake.producers()).toBe(4);
    expect(result).toMatchObject({
      sent: 5,
      resends: 1,
      resentRecords: 2,
      resendReasons: ['OUT_OF_ORDER_SEQUENCE_NUMBER'],
    });
  });

  it('sends again, and only, the records of a partition kafkajs reported done without sending', async () => {
    const fake = fakeKafka({}, 0, { 2: 1 });
    const result = await sendPaced(fake.kafka, 't', schedule, { chunkSize: 2 });
    // '4' is the second record of the second chunk: round robin puts it on partition 1
    expect(fake.topics).toEqual([['1', '2'], ['3'], ['4'], ['5']]);
    expect(result).toMatchObject({ sent: 5, resends: 0, skippedRecords: 1 });
  });

  it('sends one partition at a time to a cluster of several brokers', async () => {
    const fake = fakeKafka({}, 0, {}, [1, 2]);
    const result = await sendPaced(fake.kafka, 't', schedule, { chunkSize: 4 });
    expect(fake.topics).toEqual([['1', '3'], ['2', '4'], ['5']]);
    expect(result).toMatchObject({ sent: 5, resends: 0, skippedRecords: 0 });
  });

  it('gives up with SERVICE_UNREACHABLE when Kafka stays away past the deadline', async () => {
    const fake = fakeKafka({ 1: 'broker gone' }, 1_000);
    const failure = sendPaced(fake.kafka, 't', schedule, { chunkSize: 2, reconnectTimeoutMs: 300 });
    await expect(failure).rejects.toBeInstanceOf(CdnfaasError);
    await expect(failure).rejects.toMatchObject({ code: 'SERVICE_UNREACHABLE' });
  });

  it('stops on abort while waiting for the next value, with the count sent so far', async () => {
    const fake = fakeKafka({});
    const controller = new AbortController();
    const later = [
      { value: 'now', dueMs: 0 },
      { value: 'later', dueMs: 60_000 },
    ];
    const pending = sendPaced(fake.kafka, 't', later, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).resolves.toMatchObject({ sent: 1 });
  });
});
