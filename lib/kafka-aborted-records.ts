import { createRequire } from 'node:module';

/**
 * read_committed with kafkajs 2.2.4 lets records of aborted transactions through. Its filter
 * (src/consumer/filterAbortedMessages.js) moves one entry of the broker's aborted-transaction
 * list into its aborted set per record it looks at (`if`, where Kafka's own consumer loops with
 * `while`). When a fetch starts where several aborted transactions began before it (after a
 * restart, the transactions the connector aborted lie close together), the set lags behind and
 * aborted records are delivered: the chaos run found predict answering the same cdn_data
 * record twice, once from an aborted copy and once from the committed one.
 *
 * This is Kafka's own rule instead, applied to each fetched partition before kafkajs sees it;
 * kafkajs then gets an empty aborted list, so its filter has nothing left to do.
 */

export interface FetchedRecord {
  offset: string;
  key: Buffer | null;
  isControlRecord?: boolean;
  batchContext?: { producerId?: string; inTransaction?: boolean };
}

export interface AbortedTransaction {
  producerId: string;
  firstOffset: string;
}

/** A control record's type (the 2 bytes after its version): 0 = ABORT, 1 = COMMIT. */
function isAbortMarker(record: FetchedRecord): boolean {
  return record.key !== null && record.key.length >= 4 && record.key.readInt16BE(2) === 0;
}

/**
 * The records of a fetched partition without those of aborted transactions, in Kafka's way: a
 * producer enters the aborted set once the fetch reaches its aborted transaction's first
 * offset (every such transaction, not one per record), and leaves it at its ABORT marker.
 * Control records are kept (kafkajs drops them itself). Pure.
 */
export function dropAbortedRecords<T extends FetchedRecord>(
  records: readonly T[],
  aborted: readonly AbortedTransaction[],
): T[] {
  if (aborted.length === 0) return [...records];
  const pending = [...aborted].sort((a, b) => (BigInt(a.firstOffset) < BigInt(b.firstOffset) ? -1 : 1));
  const abortedProducers = new Set<string>();
  return records.filter((record) => {
    const offset = BigInt(record.offset);
    while (pending.length > 0 && BigInt(pending[0]!.firstOffset) <= offset)
      abortedProducers.add(pending.shift()!.producerId);
    const producerId = record.batchContext?.producerId ?? '';
    if (record.isControlRecord) {
      if (isAbortMarker(record)) abortedProducers.delete(producerId);
      return true;
    }
    return !(record.batchContext?.inTransaction === true && abortedProducers.has(producerId));
  });
}

interface FetchResponse {
  responses?: Array<{
    partitions?: Array<{ abortedTransactions?: AbortedTransaction[]; messages?: FetchedRecord[] }>;
  }>;
}

interface ResponseModule {
  parse: (data: FetchResponse) => Promise<FetchResponse> | FetchResponse;
  [patched]?: boolean;
}

const patched = Symbol('cdnfaas aborted-record filter');

/**
 * Installs the filter into kafkajs's Fetch response parsers (v4 to v11, the versions that carry
 * aborted transactions). kafkajs loads them when it sends a fetch and reads `parse` at each
 * response, so installing any time before consuming is enough. Idempotent.
 */
export function installAbortedRecordFilter(): void {
  const require = createRequire(import.meta.url);
  for (let version = 4; version <= 11; version++) {
    let module: ResponseModule;
    try {
      module = require(`kafkajs/src/protocol/requests/fetch/v${version}/response`) as ResponseModule;
    } catch {
      continue;
    }
    if (module[patched]) continue;
    const parse = module.parse;
    module.parse = async (data) => {
      const result = await parse(data);
      for (const topic of result.responses ?? []) {
        for (const partition of topic.partitions ?? []) {
          if (!partition.abortedTransactions?.length || !partition.messages) continue;
          partition.messages = dropAbortedRecords(partition.messages, partition.abortedTransactions);
          partition.abortedTransactions = [];
        }
      }
      return result;
    };
    module[patched] = true;
  }
}
