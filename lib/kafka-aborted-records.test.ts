import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import {
  dropAbortedRecords,
  installAbortedRecordFilter,
  type FetchedRecord,
} from './kafka-aborted-records.ts';

const require = createRequire(import.meta.url);

const record = (offset: number, producerId: string, inTransaction = true): FetchedRecord => ({
  offset: String(offset),
  key: Buffer.from('k'),
  batchContext: { producerId, inTransaction },
});
const marker = (offset: number, producerId: string, type: 'abort' | 'commit'): FetchedRecord => ({
  offset: String(offset),
  key: Buffer.from([0, 0, 0, type === 'abort' ? 0 : 1]),
  isControlRecord: true,
  batchContext: { producerId, inTransaction: true },
});
const offsets = (records: FetchedRecord[]) =>
  records.filter((r) => !r.isControlRecord).map((r) => `${r.offset}${r.batchContext!.producerId}`);

describe('dropAbortedRecords', () => {
  it('drops a fetch that starts after several aborted transactions began, where kafkajs lets them through', () => {
    // Producers A, B and C each began a transaction before offset 10 and aborted it; D committed.
    const records = [
      record(10, 'C'),
      record(11, 'C'),
      record(12, 'D'),
      record(13, 'C'),
      marker(14, 'C', 'abort'),
    ];
    const aborted = [
      { producerId: 'A', firstOffset: '5' },
      { producerId: 'B', firstOffset: '6' },
      { producerId: 'C', firstOffset: '7' },
    ];
    const kafkajsFilter = require('kafkajs/src/consumer/filterAbortedMessages') as (input: {
      messages: FetchedRecord[];
      abortedTransactions: typeof aborted;
    }) => FetchedRecord[];
    expect(offsets(kafkajsFilter({ messages: records, abortedTransactions: aborted }))).toEqual([
      '10C',
      '11C',
      '12D',
    ]);
    expect(offsets(dropAbortedRecords(records, aborted))).toEqual(['12D']);
  });

  it.each([
    {
      name: 'a committed transaction after an aborted one of the same producer is kept',
      records: [record(0, 'A'), marker(1, 'A', 'abort'), record(2, 'A'), marker(3, 'A', 'commit')],
      aborted: [{ producerId: 'A', firstOffset: '0' }],
      kept: ['2A'],
    },
    {
      name: 'records before the aborted transaction began are kept',
      records: [record(0, 'A'), marker(1, 'A', 'commit'), record(2, 'A'), marker(3, 'A', 'abort')],
      aborted: [{ producerId: 'A', firstOffset: '2' }],
      kept: ['0A'],
    },
    {
      name: 'records outside any transaction are kept even from an aborted producer id',
      records: [record(0, 'A'), record(1, 'A', false), marker(2, 'A', 'abort')],
      aborted: [{ producerId: 'A', firstOffset: '0' }],
      kept: ['1A'],
    },
    {
      name: 'interleaved producers: only the aborted one is dropped',
      records: [
        record(0, 'A'),
        record(1, 'B'),
        record(2, 'A'),
        marker(3, 'B', 'commit'),
        marker(4, 'A', 'abort'),
        record(5, 'B'),
      ],
      aborted: [{ producerId: 'A', firstOffset: '0' }],
      kept: ['1B', '5B'],
    },
    {
      name: 'no aborted transactions: everything is kept',
      records: [record(0, 'A'), record(1, 'B')],
      aborted: [],
      kept: ['0A', '1B'],
    },
  ])('$name', ({ records, aborted, kept }) => {
    expect(offsets(dropAbortedRecords(records, aborted))).toEqual(kept);
  });

  it('keeps the control records for kafkajs to drop', () => {
    const records = [record(0, 'A'), marker(1, 'A', 'abort')];
    expect(dropAbortedRecords(records, [{ producerId: 'A', firstOffset: '0' }])).toEqual([records[1]]);
  });
});

describe('installAbortedRecordFilter', () => {
  it('filters the parsed Fetch response and leaves kafkajs an empty aborted list, once', async () => {
    installAbortedRecordFilter();
    installAbortedRecordFilter();
    const module = require('kafkajs/src/protocol/requests/fetch/v11/response') as {
      parse: (data: unknown) => Promise<unknown>;
    };
    const parsed = (await module.parse({
      errorCode: 0,
      responses: [
        {
          topicName: 't',
          partitions: [
            {
              partition: 0,
              errorCode: 0,
              abortedTransactions: [{ producerId: 'A', firstOffset: '0' }],
              messages: [record(0, 'A'), marker(1, 'A', 'abort'), record(2, 'B')],
            },
          ],
        },
      ],
    })) as {
      responses: Array<{ partitions: Array<{ abortedTransactions: unknown[]; messages: FetchedRecord[] }> }>;
    };
    const partition = parsed.responses[0]!.partitions[0]!;
    expect(partition.abortedTransactions).toEqual([]);
    expect(offsets(partition.messages)).toEqual(['2B']);
  });
});
