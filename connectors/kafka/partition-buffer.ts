import type { KafkaMessage } from 'kafkajs';
import type { BatchLimits } from './function-spec.ts';
import { batchLength, flushDelay, recordSize, type BufferedRecord } from './records.ts';

/**
 * The bounded buffer of one partition: records fetched and not yet taken into a batch. Past the
 * high-water mark (two batches by count or bytes) it pauses the partition's fetches; once taken
 * below half of that it resumes them. Memory per partition stays bounded whatever the input rate.
 */
export class PartitionBuffer {
  readonly #records: BufferedRecord[] = [];
  #bytes = 0;
  #paused = false;

  constructor(
    private readonly at: { topic: string; partition: number },
    private readonly limits: () => BatchLimits,
    private readonly onPause: () => void,
    private readonly onResume: () => void,
  ) {}

  get length(): number {
    return this.#records.length;
  }

  get paused(): boolean {
    return this.#paused;
  }

  #highWater(): { records: number; bytes: number } {
    const limits = this.limits();
    return { records: limits.maxRecords * 2, bytes: limits.maxBytes * 2 };
  }

  /** Appends one fetch; the last record commits past `lastOffset`, which may lie beyond it (markers). */
  push(messages: KafkaMessage[], lastOffset: string, now = Date.now()): void {
    const fetchEnd = (BigInt(lastOffset) + 1n).toString();
    messages.forEach((message, index) => {
      const size = recordSize(message.key, message.value);
      this.#records.push({
        topic: this.at.topic,
        partition: this.at.partition,
        offset: message.offset,
        key: message.key,
        value: message.value,
        size,
        commitOffset: index === messages.length - 1 ? fetchEnd : (BigInt(message.offset) + 1n).toString(),
        receivedAt: now,
      });
      this.#bytes += size;
    });
    const high = this.#highWater();
    if (!this.#paused && (this.#records.length >= high.records || this.#bytes >= high.bytes)) {
      this.#paused = true;
      this.onPause();
    }
  }

  /** Milliseconds until the next batch is due (0 = now, Infinity = empty). */
  flushDelay(now = Date.now()): number {
    const oldest = this.#records[0];
    return flushDelay(
      {
        records: this.#records.length,
        bytes: this.#bytes,
        oldestAgeMs: oldest === undefined ? 0 : now - oldest.receivedAt,
      },
      this.limits(),
    );
  }

  /** Removes the next batch from the front, in offset order. */
  take(): BufferedRecord[] {
    const limits = this.limits();
    const count = batchLength(
      this.#records.slice(0, limits.maxRecords).map((record) => record.size),
      limits,
    );
    const batch = this.#records.splice(0, count);
    for (const record of batch) this.#bytes -= record.size;
    const high = this.#highWater();
    if (this.#records.length <= high.records / 2 && this.#bytes <= high.bytes / 2) this.resume();
    return batch;
  }

  /** Drops everything (the consumer will fetch it again from the committed offset). */
  clear(): void {
    this.#records.length = 0;
    this.#bytes = 0;
    this.resume();
  }

  resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    this.onResume();
  }
}
