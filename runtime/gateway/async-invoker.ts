import { request } from 'undici';
import { CdnfaasError } from '../../lib/errors.ts';
import type { Logger } from '../../lib/logger.ts';
import type { FunctionProvider } from '../provider/types.ts';
import type { ForwardCall, ForwardLimits } from './forward-call.ts';
import { forwardBuffered, upstreamError } from './forward.ts';
import type { GatewayMetrics } from './metrics.ts';

export interface AsyncJob {
  call: ForwardCall;
  /** `<name>.<namespace>` for metrics. */
  qualifiedName: string;
  callbackUrl: URL | undefined;
}

export interface AsyncInvokerOptions {
  provider: FunctionProvider;
  metrics: GatewayMetrics;
  logger: Logger;
  limits: ForwardLimits;
  /** Calls run at once. */
  concurrency: number;
  /** Accepted calls waiting to run; beyond it /async-function answers 429. */
  queueLimit: number;
}

const callbackSkippedHeaders = new Set([
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'x-call-id',
]);

/**
 * The queue-worker of the local runtime: runs accepted async calls with bounded concurrency and
 * POSTs each result to the caller's X-Callback-Url with the headers nats-queue-worker sets
 * (X-Call-Id, X-Function-Status, X-Function-Name, X-Duration-Seconds). Kept in memory:
 * accepted calls are lost if the gateway stops, as with an in-memory NATS queue.
 */
export class AsyncInvoker {
  private readonly queue: AsyncJob[] = [];
  private running = 0;
  private readonly abort = new AbortController();
  private idle: (() => void) | undefined;

  constructor(private readonly options: AsyncInvokerOptions) {}

  submit(job: AsyncJob): void {
    if (this.abort.signal.aborted) throw new CdnfaasError('SERVICE_UNHEALTHY', 'the gateway is stopping');
    if (this.queue.length >= this.options.queueLimit) {
      throw new CdnfaasError(
        'TOO_MANY_REQUESTS',
        `${this.options.queueLimit} asynchronous calls are already waiting`,
        {
          hint: 'retry later, or scale the function up',
        },
      );
    }
    this.queue.push(job);
    this.pump();
  }

  get pending(): number {
    return this.queue.length + this.running;
  }

  /** Drops waiting calls and cancels running ones. */
  async stop(): Promise<void> {
    this.queue.length = 0;
    this.abort.abort();
    if (this.running > 0) await new Promise<void>((resolve) => (this.idle = resolve));
  }

  private pump(): void {
    while (this.running < this.options.concurrency && this.queue.length > 0) {
      const job = this.queue.shift()!;
      this.running++;
      void this.run(job).finally(() => {
        this.running--;
        if (this.running === 0) this.idle?.();
        this.pump();
      });
    }
  }

  private async run(job: AsyncJob): Promise<void> {
    const { provider, metrics, logger, limits } = this.options;
    const started = performance.now();
    let result: { statusCode: number; headers: Record<string, unknown>; body: Buffer };
    try {
      result = await forwardBuffered(provider, job.call, limits, this.abort.signal);
    } catch (error) {
      const mapped = upstreamError(job.call, error);
      logger.warn(
        { function: job.call.name, callId: job.call.callId, code: mapped.code, reason: mapped.message },
        'async call failed',
      );
      result = {
        statusCode: mapped.status,
        headers: { 'content-type': 'application/json' },
        body: Buffer.from(JSON.stringify(mapped.toJSON())),
      };
    }
    const seconds = (performance.now() - started) / 1000;
    metrics.invocationCompleted(job.qualifiedName, result.statusCode, seconds);
    provider.recordInvocation(job.call.name);
    if (job.callbackUrl !== undefined) await this.postResult(job, result, seconds);
  }

  private async postResult(
    job: AsyncJob,
    result: { statusCode: number; headers: Record<string, unknown>; body: Buffer },
    seconds: number,
  ): Promise<void> {
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(result.headers)) {
      if (!callbackSkippedHeaders.has(key) && value !== undefined)
        headers[key] = Array.isArray(value) ? value.join(', ') : String(value);
    }
    headers['x-duration-seconds'] = seconds.toFixed(6);
    headers['x-function-status'] = String(result.statusCode);
    headers['x-function-name'] = job.call.name;
    headers['x-call-id'] = job.call.callId;
    try {
      const response = await request(job.callbackUrl!, {
        method: 'POST',
        headers,
        body: result.body,
        signal: this.abort.signal,
      });
      await response.body.dump();
      this.options.logger.info(
        { function: job.call.name, callId: job.call.callId, callbackStatus: response.statusCode },
        'async result posted',
      );
    } catch (error) {
      this.options.logger.warn(
        {
          function: job.call.name,
          callId: job.call.callId,
          callbackUrl: job.callbackUrl!.origin,
          err: error,
        },
        'async callback failed',
      );
    }
  }
}
