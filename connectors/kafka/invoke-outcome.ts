import { batchResponseSchema, type RecordResult } from '../../contracts/batch.ts';

/**
 * What one batch invocation came to:
 * - ok: the function answered every record;
 * - rejected: the function refused a single-record batch with a 4xx, naming the reason;
 * - failed: anything else (5xx, timeout, connection error, a body that is not a batch response,
 *   a 4xx for several records at once): retried, and bisected when the function is healthy.
 */
export type InvokeOutcome =
  | { kind: 'ok'; results: RecordResult[] }
  | { kind: 'rejected'; reason: string }
  | { kind: 'failed'; reason: string; status?: number };

/** 4xx statuses that say nothing about the record: the route, the caller or the load. */
const notAboutTheRecord = new Set([401, 403, 404, 405, 408, 409, 425, 429]);

const maxReasonLength = 500;

function shorten(text: string): string {
  const single = text.replace(/\s+/g, ' ').trim();
  return single.length > maxReasonLength ? `${single.slice(0, maxReasonLength)}...` : single;
}

/** The message of an error body in the cdnfaas shape ({code, message}) or the text itself. */
function describeBody(text: string): string {
  try {
    const parsed: unknown = JSON.parse(text);
    if (
      parsed !== null &&
      typeof parsed === 'object' &&
      'message' in parsed &&
      typeof parsed.message === 'string'
    ) {
      const code = 'code' in parsed && typeof parsed.code === 'string' ? `${parsed.code}: ` : '';
      return shorten(`${code}${parsed.message}`);
    }
  } catch {
    // not JSON: the text is the description
  }
  return shorten(text) || '(empty body)';
}

/** Classifies an HTTP answer to a batch of `recordCount` records. Pure, for tests. */
export function classifyResponse(status: number, body: string, recordCount: number): InvokeOutcome {
  if (status >= 200 && status < 300) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return {
        kind: 'failed',
        status,
        reason: `function answered ${status} with a body that is not JSON: ${shorten(body)}`,
      };
    }
    const response = batchResponseSchema.safeParse(parsed);
    if (!response.success) {
      const issue = response.error.issues[0];
      const where = issue?.path.length ? issue.path.join('.') : '(body)';
      return {
        kind: 'failed',
        status,
        reason: `function answered ${status} with a body that is not a batch response: ${where}: ${issue?.message}`,
      };
    }
    if (response.data.results.length !== recordCount) {
      return {
        kind: 'failed',
        status,
        reason: `function answered ${response.data.results.length} results for ${recordCount} records`,
      };
    }
    return { kind: 'ok', results: response.data.results };
  }
  const described = describeBody(body);
  if (status >= 400 && status < 500 && !notAboutTheRecord.has(status) && recordCount === 1) {
    return { kind: 'rejected', reason: `function answered ${status}: ${described}` };
  }
  return { kind: 'failed', status, reason: `function answered ${status}: ${described}` };
}
