import type { z } from 'zod';
import { batchContentType, batchRequestSchema, type RecordResult } from '../../contracts/batch.ts';
import type { FunctionContext, FunctionEvent, Handler } from './function.ts';

/** One input record of a stage with its Kafka coordinates (empty for an ad-hoc call). */
export interface StageRecord<T> {
  value: T;
  key: string | null;
  topic: string;
  partition: number;
  offset: string;
}

/**
 * A Kafka-triggered stage: validates each record against `input`, then processes the valid
 * ones together. `process` returns one result per record it was given, in the same order;
 * throwing fails the whole batch, which the connector retries and bisects.
 */
export interface Stage<T> {
  input: z.ZodType<T>;
  process(records: StageRecord<T>[]): Promise<RecordResult[]>;
}

/** A rejection reason from zod issues: every problem with its field, in one line. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(record)'}: ${issue.message}`)
    .join('; ');
}

function isBatchCall(event: FunctionEvent): boolean {
  const contentType = event.headers['content-type'];
  return typeof contentType === 'string' && contentType.startsWith(batchContentType);
}

async function answerBatch<T>(
  stage: Stage<T>,
  event: FunctionEvent,
  context: FunctionContext,
): Promise<unknown> {
  const request = batchRequestSchema.safeParse(event.body);
  if (!request.success) {
    context.status(400);
    return { code: 'INVALID_INPUT', message: `malformed batch: ${describeIssues(request.error)}` };
  }
  const results: RecordResult[] = new Array(request.data.records.length);
  const valid: StageRecord<T>[] = [];
  const validIndex: number[] = [];
  request.data.records.forEach((record, index) => {
    const parsed = stage.input.safeParse(record.value);
    if (parsed.success) {
      valid.push({ ...record, value: parsed.data });
      validIndex.push(index);
    } else {
      results[index] = { status: 'rejected', reason: describeIssues(parsed.error) };
    }
  });
  const processed = valid.length > 0 ? await stage.process(valid) : [];
  if (processed.length !== valid.length) {
    throw new Error(`stage returned ${processed.length} results for ${valid.length} records`);
  }
  processed.forEach((result, i) => {
    results[validIndex[i]!] = result;
  });
  return { results };
}

async function answerSingle<T>(
  stage: Stage<T>,
  event: FunctionEvent,
  context: FunctionContext,
): Promise<unknown> {
  const parsed = stage.input.safeParse(event.body);
  if (!parsed.success) {
    context.status(400);
    return { code: 'INVALID_INPUT', message: describeIssues(parsed.error), issues: parsed.error.issues };
  }
  const [result] = await stage.process([
    { value: parsed.data, key: null, topic: '', partition: 0, offset: '0' },
  ]);
  if (result === undefined || result.status === 'rejected') {
    context.status(400);
    return { code: 'INVALID_INPUT', message: result?.reason ?? 'rejected' };
  }
  // One record in, its output out: the single-record form users expect from `faas-cli invoke`.
  return result.outputs.length === 1
    ? result.outputs[0]!.value
    : result.outputs.map((output) => output.value);
}

/** Turns a stage into a handler that answers both connector batches and ad-hoc calls. */
export function stageHandler<T>(stage: Stage<T>): Handler {
  return (event, context) =>
    isBatchCall(event) ? answerBatch(stage, event, context) : answerSingle(stage, event, context);
}
