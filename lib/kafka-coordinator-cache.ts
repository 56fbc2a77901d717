import { createRequire } from 'node:module';
import { oncePerObject } from './once-per-object.ts';

/**
 * kafkajs 2.2.4 asks a broker "who coordinates this transactional id?" (FindCoordinator) before
 * every request to the transaction coordinator: three times per transaction of the connector's
 * publisher (AddPartitionsToTxn, AddOffsetsToTxn, EndTxn), besides once for the group's
 * coordinator. At 1,000 records/s that was 150 requests a second, more than a tenth of all the
 * broker answered, and three round trips on each stage's commit path. Kafka's own clients keep
 * the answer until a request to the coordinator fails; this does the same for the transaction
 * coordinator of every kafkajs producer.
 *
 * Group coordinators are still asked every time: a consumer's join looks its coordinator up
 * through the same call, and its rejoin after a coordinator moved is left exactly as kafkajs
 * does it.
 *
 * An answer is kept per client (kafkajs Cluster) and transactional id, and used while its broker
 * is connected. Any failed request to a transaction coordinator, of any client, forgets every kept
 * answer (failures are rare; the next lookup asks again, as kafkajs's retries expect), and so does
 * time: an answer older than `maxAgeMs` is asked again.
 */

export interface CoordinatorBroker {
  isConnected(): boolean;
}

export interface CoordinatorQuery {
  groupId: string;
  coordinatorType?: number;
}

type Lookup<B> = (query: CoordinatorQuery) => Promise<B>;

/** kafkajs's coordinator type of a transactional id (0 is a consumer group's). */
export const transactionCoordinator = 1;

/** Bumped by every failed transaction-coordinator request: answers kept before it are not used again. */
export class CoordinatorEpoch {
  #value = 0;
  get value(): number {
    return this.#value;
  }
  bump(): void {
    this.#value += 1;
  }
}

/**
 * `lookup` with its answers kept: pure apart from the clock and the epoch it is given, so the
 * rule is tested without kafkajs.
 */
export function cachedCoordinatorLookup<B extends CoordinatorBroker>(
  lookup: Lookup<B>,
  epoch: CoordinatorEpoch,
  maxAgeMs: number,
  now: () => number = Date.now,
): Lookup<B> {
  const kept = new Map<string, { broker: B; at: number; epoch: number }>();
  return async (query) => {
    if (query.coordinatorType !== transactionCoordinator) return lookup(query);
    const key = query.groupId;
    const hit = kept.get(key);
    if (hit && hit.epoch === epoch.value && now() - hit.at < maxAgeMs && hit.broker.isConnected()) {
      return hit.broker;
    }
    const startedIn = epoch.value;
    const broker = await lookup(query);
    kept.set(key, { broker, at: now(), epoch: startedIn });
    return broker;
  };
}

/** The kafkajs Broker requests that go to a transaction coordinator (TxnOffsetCommit goes to the group's). */
export const transactionCoordinatorRequests = [
  'initProducerId',
  'addPartitionsToTxn',
  'addOffsetsToTxn',
  'endTxn',
] as const;

const maxAgeMs = 10_000;
const installed = Symbol('cdnfaas coordinator cache');
const sharedEpoch = new CoordinatorEpoch();

type AnyAsync = (this: unknown, ...args: unknown[]) => Promise<unknown>;
interface PatchedClass {
  prototype: Record<string | symbol, unknown>;
}

/**
 * Installs the cache into kafkajs's Cluster and the forgetting into its Broker. Idempotent; like
 * the aborted-record filter it patches the module instance every `import 'kafkajs'` shares.
 */
export function installCoordinatorCache(): void {
  const require = createRequire(import.meta.url);
  const Cluster = require('kafkajs/src/cluster') as PatchedClass;
  const Broker = require('kafkajs/src/broker') as PatchedClass;
  if (Cluster.prototype[installed]) return;

  const find = Cluster.prototype.findGroupCoordinator as (
    this: object,
    q: CoordinatorQuery,
  ) => Promise<CoordinatorBroker>;
  const lookupOf = oncePerObject((cluster: object) =>
    cachedCoordinatorLookup((q) => find.call(cluster, q), sharedEpoch, maxAgeMs),
  );
  Cluster.prototype.findGroupCoordinator = function (this: object, query: CoordinatorQuery) {
    return lookupOf(this)(query);
  };

  for (const name of transactionCoordinatorRequests) {
    const request = Broker.prototype[name] as AnyAsync;
    Broker.prototype[name] = async function (this: unknown, ...args: unknown[]) {
      try {
        return await request.apply(this, args);
      } catch (error) {
        sharedEpoch.bump();
        throw error;
      }
    };
  }
  Cluster.prototype[installed] = true;
}
