import { recordSize, type BufferedRecord, type FetchedMessage } from './records.ts';

export interface PositionLimits {
  /** Records buffered before the partition's fetches pause. */
  highWaterRecords: number;
  /** Bytes buffered before the partition's fetches pause. */
  highWaterBytes: number;
}

export interface PositionSnapshot {
  partition: number;
  buffered: number;
  paused: boolean;
  held: boolean;
  fetchedOffset: string | null;
  committedOffset: string | null;
}

/**
 * Where one assigned partition stands, shared by the fetch side (FunctionConsumer) and the
 * cycle loop (function-loop.ts) instead of callbacks between them:
 * - the records fetched and not yet taken into a cycle, in offset order, bounded: past the
 *   high-water mark the partition's fetches pause, below half of it they resume;
 * - `fetched`: the offset after the last one fetched, which lies past transaction markers, so
 *   an idle partition can commit through them and show no lag;
 * - `committed`: the offset after the last one committed;
 * - `generation`: the assignment it belongs to. A cycle that took records under an older one
 *   never commits them (the partition may have another owner by then).
 * While `held` (a new assignment whose earlier owner is being fenced) fetched records are dropped.
 */
export class PartitionPosition {
  readonly topic: string;
  readonly partition: number;
  readonly generation: number;
  #held = true;
  #records: BufferedRecord[] = [];
  /** Index of the first record not yet taken: taking moves it instead of shifting the array. */
  #head = 0;
  #bytes = 0;
  #paused = false;
  #fetched: bigint | undefined;
  #committed: bigint | undefined;
  #revoked = false;

  constructor(
    at: { topic: string; partition: number },
    generation: number,
    private readonly limits: () => PositionLimits,
    private readonly flow: { pause(): void; resume(): void },
  ) {
    this.topic = at.topic;
    this.partition = at.partition;
    this.generation = generation;
  }

  get held(): boolean {
    return this.#held;
  }

  get revoked(): boolean {
    return this.#revoked;
  }

  get buffered(): number {
    return this.#records.length - this.#head;
  }

  get bufferedBytes(): number {
    return this.#bytes;
  }

  get paused(): boolean {
    return this.#paused;
  }

  /** When the oldest buffered record arrived (ms since epoch), or undefined when empty. */
  get oldestReceivedAt(): number | undefined {
    return this.#records[this.#head]?.receivedAt;
  }

  get fetched(): bigint | undefined {
    return this.#fetched;
  }

  get committed(): bigint | undefined {
    return this.#committed;
  }

  /** Fetched past what is committed with nothing left to take: only a position commit remains. */
  get needsPositionCommit(): boolean {
    return (
      !this.#held &&
      this.buffered === 0 &&
      this.#fetched !== undefined &&
      (this.#committed === undefined || this.#fetched > this.#committed)
    );
  }

  /** The takeover is done: the consumer stands at the committed offset. */
  release(committed: bigint | undefined): void {
    this.#held = false;
    this.#committed = committed;
  }

  /** The partition left this instance (or a newer assignment replaced this one). */
  revoke(): void {
    this.#revoked = true;
    this.#held = true;
    this.#drop();
  }

  /** Appends one fetch; its last record commits past `lastOffset`, which may lie beyond it (markers). */
  push(messages: readonly FetchedMessage[], lastOffset: string, now = Date.now()): void {
    if (this.#held || messages.length === 0) return;
    const fetchEnd = BigInt(lastOffset) + 1n;
    // A fetch that began before the consumer was moved to the committed offset (a rebalance while
    // a broker restarts) can still arrive: what lies before the position was consumed already.
    const floor = this.#fetched ?? this.#committed;
    if (floor !== undefined && fetchEnd <= floor) return;
    let first = 0;
    if (floor !== undefined)
      while (first < messages.length && BigInt(messages[first]!.offset) < floor) first += 1;
    const last = messages.length - 1;
    for (let index = first; index <= last; index += 1) {
      const message = messages[index]!;
      const size = recordSize(message.key, message.value);
      this.#records.push({
        topic: this.topic,
        partition: this.partition,
        offset: message.offset,
        key: message.key,
        value: message.value,
        size,
        commitOffset: index === last ? fetchEnd.toString() : undefined,
        receivedAt: now,
        producedAt: Number(message.timestamp),
      });
      this.#bytes += size;
    }
    this.markFetched(fetchEnd);
    const limits = this.limits();
    if (!this.#paused && (this.buffered >= limits.highWaterRecords || this.#bytes >= limits.highWaterBytes)) {
      this.#paused = true;
      this.flow.pause();
    }
  }

  /** The consumer's position moved to `next` (also over fetches of only transaction markers). */
  markFetched(next: bigint): void {
    if (this.#held) return;
    if (this.#fetched === undefined || next > this.#fetched) this.#fetched = next;
  }

  /**
   * Removes up to `maxRecords` records and `maxBytes` bytes from the front, in offset order; at
   * least one record when any is buffered (a record over the byte limit is dead-lettered later).
   */
  take(maxRecords: number, maxBytes: number): BufferedRecord[] {
    let end = this.#head;
    let bytes = 0;
    while (end < this.#records.length && end - this.#head < maxRecords) {
      const size = this.#records[end]!.size;
      if (end > this.#head && bytes + size > maxBytes) break;
      bytes += size;
      end += 1;
    }
    const taken = this.#records.slice(this.#head, end);
    this.#head = end;
    this.#bytes -= bytes;
    if (this.#head === this.#records.length) {
      this.#records = [];
      this.#head = 0;
    } else if (this.#head > 4096 && this.#head * 2 > this.#records.length) {
      this.#records = this.#records.slice(this.#head);
      this.#head = 0;
    }
    const limits = this.limits();
    if (
      this.#paused &&
      this.buffered <= limits.highWaterRecords / 2 &&
      this.#bytes <= limits.highWaterBytes / 2
    )
      this.#resume();
    return taken;
  }

  /** A cycle committed through `offset` (exclusive). */
  markCommitted(offset: bigint): void {
    if (this.#committed === undefined || offset > this.#committed) this.#committed = offset;
  }

  snapshot(): PositionSnapshot {
    return {
      partition: this.partition,
      buffered: this.buffered,
      paused: this.#paused,
      held: this.#held,
      fetchedOffset: this.#fetched?.toString() ?? null,
      committedOffset: this.#committed?.toString() ?? null,
    };
  }

  #drop(): void {
    this.#records = [];
    this.#head = 0;
    this.#bytes = 0;
    this.#resume();
  }

  #resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    this.flow.resume();
  }
}

/** The offset to commit once `records` (one partition's, in order) are done. */
export function commitOffsetOf(records: readonly BufferedRecord[]): bigint {
  const last = records[records.length - 1]!;
  return last.commitOffset !== undefined ? BigInt(last.commitOffset) : BigInt(last.offset) + 1n;
}
