/** One partition of a consumer group's topic: where the log starts and ends, where the group is. */
export interface PartitionOffsets {
  partition: number;
  /** The earliest offset still in the log (retention deletes what lies before it). */
  logStartOffset: number;
  /** The offset the next record will get (the high watermark). */
  logEndOffset: number;
  /** The group's committed offset, or null when it never committed on this partition. */
  committedOffset: number | null;
}

export interface PartitionLag extends PartitionOffsets {
  lag: number;
}

/**
 * Records the group still has to consume on a partition. A partition with no committed offset
 * counts from the log start, because the connector starts new groups at the earliest offset:
 * calling that lag 0 (or 1) is the trap that keeps a fresh backlog from scaling anything, and
 * counting from offset 0 would count records retention already deleted.
 */
export function partitionLag(offsets: PartitionOffsets): number {
  const { logStartOffset, logEndOffset, committedOffset } = offsets;
  const from =
    committedOffset === null || committedOffset < logStartOffset ? logStartOffset : committedOffset;
  return Math.max(0, logEndOffset - from);
}

export function withLag(offsets: PartitionOffsets[]): PartitionLag[] {
  return offsets.map((entry) => ({ ...entry, lag: partitionLag(entry) }));
}
