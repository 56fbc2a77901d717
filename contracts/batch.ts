import { z } from 'zod';

/**
 * The connector-to-function wire contract. The connector POSTs a batch of Kafka records to
 * /function/<name> with content type `application/vnd.cdnfaas.batch+json`; the function answers
 * with one result per input record: its output values, or the reason it was rejected.
 * A plain JSON body (no batch content type) is an ad-hoc call with one record.
 */
export const batchContentType = 'application/vnd.cdnfaas.batch+json';

export const batchRecordSchema = z
  .object({
    topic: z.string(),
    partition: z.number().int().min(0),
    /** Kafka offsets are 64-bit: carried as decimal strings. */
    offset: z.string().regex(/^\d+$/),
    key: z.string().nullable(),
    value: z.unknown(),
  })
  .strict();

export const batchRequestSchema = z.object({ records: z.array(batchRecordSchema) }).strict();

export const recordResultSchema = z.discriminatedUnion('status', [
  z
    .object({
      status: z.literal('ok'),
      /** Zero or more values to publish to each of the function's output topics. */
      outputs: z.array(z.object({ key: z.string().nullable(), value: z.unknown() }).strict()),
    })
    .strict(),
  z.object({ status: z.literal('rejected'), reason: z.string().min(1) }).strict(),
]);

/** results[i] answers records[i] of the request. */
export const batchResponseSchema = z.object({ results: z.array(recordResultSchema) }).strict();

export type BatchRecord = z.infer<typeof batchRecordSchema>;
export type BatchRequest = z.infer<typeof batchRequestSchema>;
export type RecordResult = z.infer<typeof recordResultSchema>;
export type BatchResponse = z.infer<typeof batchResponseSchema>;
