/**
 * Kafka names every part derives the same way: the connector creates them, the autoscaler and
 * the dashboard read their lag, chaos and the benchmarks check them.
 */

/** One consumer group per function, named so operators can find it with kafka-consumer-groups. */
export function groupIdFor(functionName: string): string {
  return `cdnfaas-${functionName}`;
}

/** Where the records a function rejects go. */
export function dlqTopicFor(topic: string): string {
  return `${topic}.dlq`;
}
