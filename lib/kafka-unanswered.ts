import type { RecordMetadata, TopicMessages } from 'kafkajs';

/**
 * kafkajs 2.2.4 can report a send as done that it never made. When a produce request fails
 * because a partition's leader moved (a broker killed or restarted), it retries only towards the
 * brokers that have not answered yet; a partition whose new leader had already answered for
 * other partitions is left out, and the send succeeds without it. Each partition a send names
 * explicitly must therefore be in its answer; this lists those that are not. Messages without a
 * partition cannot be checked (their partition is the partitioner's choice). Pure.
 */
export function unansweredPartitions(
  topicMessages: readonly TopicMessages[],
  answers: readonly RecordMetadata[],
): { topic: string; partition: number }[] {
  const answered = new Set(answers.map((answer) => `${answer.topicName}\u0000${answer.partition}`));
  const missing = new Map<string, { topic: string; partition: number }>();
  for (const { topic, messages } of topicMessages) {
    for (const message of messages) {
      if (message.partition === undefined) continue;
      const key = `${topic}\u0000${message.partition}`;
      if (!answered.has(key)) missing.set(key, { topic, partition: message.partition });
    }
  }
  return [...missing.values()];
}

/** `topic[partition]` names of unanswered partitions, for errors and logs. */
export function describePartitions(partitions: readonly { topic: string; partition: number }[]): string {
  return partitions.map(({ topic, partition }) => `${topic}[${partition}]`).join(', ');
}
