import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { FunctionProvider } from '../provider/types.ts';

/**
 * Prometheus metrics with the OpenFaaS gateway's names and labels (faas gateway/metrics), so
 * OpenFaaS dashboards and alerts work unchanged. `function_name` is `<name>.<namespace>`.
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly invocations: Counter<'function_name' | 'code'>;
  private readonly started: Counter<'function_name'>;
  private readonly seconds: Histogram<'function_name' | 'code'>;
  private readonly startedChildren = new Map<string, Counter.Internal>();
  private readonly completedChildren = new Map<
    string,
    { count: Counter.Internal; time: Histogram.Internal<'function_name' | 'code'> }
  >();

  constructor(provider: Pick<FunctionProvider, 'list'>) {
    collectDefaultMetrics({ register: this.registry });
    this.invocations = new Counter({
      name: 'gateway_function_invocation_total',
      help: 'Function metrics',
      labelNames: ['function_name', 'code'],
      registers: [this.registry],
    });
    this.started = new Counter({
      name: 'gateway_function_invocation_started',
      help: 'The total number of function HTTP requests started.',
      labelNames: ['function_name'],
      registers: [this.registry],
    });
    this.seconds = new Histogram({
      name: 'gateway_functions_seconds',
      help: 'Function time taken',
      labelNames: ['function_name', 'code'],
      registers: [this.registry],
    });
    const replicaGauge = (
      name: string,
      help: string,
      value: (status: ReturnType<FunctionProvider['list']>[number]) => number,
    ) =>
      new Gauge({
        name,
        help,
        labelNames: ['function_name'],
        registers: [this.registry],
        collect() {
          this.reset();
          for (const status of provider.list())
            this.set({ function_name: `${status.name}.${status.namespace}` }, value(status));
        },
      });
    replicaGauge(
      'gateway_service_count',
      'Current count of replicas for function',
      (status) => status.replicas,
    );
    replicaGauge(
      'gateway_service_ready_count',
      'Replicas of the function that passed their health check',
      (status) => status.availableReplicas,
    );
  }

  /** Successful (code 200) invocations so far per function_name: what APIHighInvocationRate rates. */
  async successCounts(): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (const { labels, value } of (await this.invocations.get()).values) {
      if (String(labels.code) !== '200') continue;
      const name = String(labels.function_name);
      counts.set(name, (counts.get(name) ?? 0) + value);
    }
    return counts;
  }

  invocationStarted(functionName: string): void {
    let child = this.startedChildren.get(functionName);
    if (child === undefined) {
      child = this.started.labels(functionName);
      this.startedChildren.set(functionName, child);
    }
    child.inc();
  }

  /** One finished invocation; children are cached because this runs once per request. */
  invocationCompleted(functionName: string, code: number, seconds: number): void {
    const key = `${functionName}\u0000${code}`;
    let children = this.completedChildren.get(key);
    if (children === undefined) {
      const labels = { function_name: functionName, code: String(code) };
      children = { count: this.invocations.labels(labels), time: this.seconds.labels(labels) };
      this.completedChildren.set(key, children);
    }
    children.count.inc();
    children.time.observe(seconds);
  }
}
