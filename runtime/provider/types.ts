/**
 * The provider contract: what the gateway, the connector and the autoscaler may ask of whatever
 * runs function replicas. Wire types follow OpenFaaS faas-provider (types/*.go) field for field,
 * because faas-cli and the OpenFaaS go-sdk decode them; inside cdnfaas a function is always `name`.
 * The function record itself (FunctionSpec, FunctionStatus) is in contracts/openfaas/function.ts.
 */
import type { Dispatcher } from 'undici';
import type { FunctionSpec, FunctionStatus } from '../../contracts/openfaas/function.ts';

/** faas-provider logs.Message: one line of a replica's output. */
export interface LogMessage {
  name: string;
  namespace: string;
  instance: string;
  /** ISO 8601. */
  timestamp: string;
  text: string;
}

/** faas-provider logs.Request, parsed. */
export interface LogQuery {
  name: string;
  instance?: string;
  since?: Date;
  /** Most recent lines to return; <= 0 or absent means all that are kept. */
  tail?: number;
  follow: boolean;
}

export interface LogStream {
  /** Messages already kept that match the query, oldest first. */
  history: LogMessage[];
  /** Registers a listener for new matching messages (follow); returns the unsubscribe function. */
  subscribe(listener: (message: LogMessage) => void, onEnd: () => void): () => void;
}

/** A ready replica chosen for one call. `release` must be called exactly once when the call ends. */
export interface InvokeTarget {
  instance: string;
  /** Keep-alive connection pool to the replica. */
  dispatcher: Dispatcher;
  origin: string;
  release(): void;
  /** The connection to the replica failed: check its health now rather than at the next probe. */
  reportFailure(): void;
}

export interface AcquireOptions {
  /** How long to wait for a ready replica (cold start, scale from zero). */
  timeoutMs: number;
  signal?: AbortSignal;
}

/** Narrow interface for everything that manages functions; fakes for tests implement it in a few lines. */
export interface FunctionProvider {
  /** Creates a function; CONFLICT when it exists, INVALID_INPUT when the image or a secret is unknown. */
  deploy(spec: FunctionSpec): Promise<void>;
  /**
   * Changes a function: any change of image, environment, secrets (or their values), labels,
   * annotations, limits or requests rolls the replicas over. NOT_FOUND when absent.
   */
  update(spec: FunctionSpec): Promise<void>;
  /** Removes a function and stops its replicas. NOT_FOUND when absent. */
  remove(name: string): Promise<void>;
  /** Sets the desired replica count (0 = scaled to zero). NOT_FOUND when absent. */
  scale(name: string, replicas: number): Promise<void>;
  list(): FunctionStatus[];
  get(name: string): FunctionStatus | undefined;
  logs(query: LogQuery): LogStream;
  /** A ready replica right now, without waiting; undefined when none is ready. */
  tryAcquire(name: string): InvokeTarget | undefined;
  /** Waits for a ready replica, scaling from zero when needed. NOT_FOUND, SERVICE_UNHEALTHY on timeout. */
  acquire(name: string, options: AcquireOptions): Promise<InvokeTarget>;
  /** Counts a finished invocation for invocationCount. */
  recordInvocation(name: string): void;
  /** Stops every replica (SIGTERM, then SIGKILL after the grace period). */
  stop(): Promise<void>;
}
