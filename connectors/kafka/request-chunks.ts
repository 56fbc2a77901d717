import type { Message, TopicMessages } from 'kafkajs';

/**
 * Kafka refuses a produce request whose batch for one partition exceeds the broker's
 * message.max.bytes (1 MiB by default) with MESSAGE_TOO_LARGE, and retrying the same request can
 * never succeed. A transaction may therefore carry its messages in several requests: this splits
 * them, in order, into requests of at most `maxBytes` of keys, values and headers each.
 */
export const defaultRequestBytes = 512 * 1024;

/** Per-message framing in a record batch (lengths, offsets, attributes), roughly. */
const recordOverheadBytes = 32;

function valueBytes(value: Message['value'] | Message['key']): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'string' ? Buffer.byteLength(value) : value.length;
}

export function messageBytes(message: Message): number {
  let size = recordOverheadBytes + valueBytes(message.key) + valueBytes(message.value);
  for (const [name, header] of Object.entries(message.headers ?? {})) {
    const values = Array.isArray(header) ? header : [header];
    for (const value of values)
      size += Buffer.byteLength(name) + valueBytes(value as Buffer | string | undefined);
  }
  return size;
}

/**
 * Splits topic messages into produce requests of at most `maxBytes` each, keeping every topic's
 * messages in their order (so per-partition order is kept). A single message larger than
 * `maxBytes` travels alone.
 */
export function splitIntoRequests(
  topicMessages: TopicMessages[],
  maxBytes = defaultRequestBytes,
): TopicMessages[][] {
  const requests: TopicMessages[][] = [];
  let current: TopicMessages[] = [];
  let currentBytes = 0;
  for (const { topic, messages } of topicMessages) {
    let slice: Message[] = [];
    for (const message of messages) {
      const size = messageBytes(message);
      if (currentBytes + size > maxBytes && currentBytes > 0) {
        if (slice.length > 0) current.push({ topic, messages: slice });
        requests.push(current);
        current = [];
        currentBytes = 0;
        slice = [];
      }
      slice.push(message);
      currentBytes += size;
    }
    if (slice.length > 0) current.push({ topic, messages: slice });
  }
  if (current.length > 0) requests.push(current);
  return requests;
}
