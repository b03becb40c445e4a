/**
 * Tenant-scoped publish/subscribe for GraphQL subscriptions, on @graphql-yoga/subscription's
 * createPubSub: in-process by default, across processes through Redis when REDIS_URL is set.
 * Topics are `<event>:<organizationId>` and are built here only: a domain declares an event with
 * defineEvent, publishes with publishAfterCommit (never before its transaction commits) and
 * subscribes with subscribeTo, which takes the organization from the subscriber's context.
 * Payloads always travel as JSON (in-process too), so both backends deliver the same values.
 */
import { createPubSub } from '@graphql-yoga/subscription';
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { setMaxListeners } from 'node:events';
import { Redis } from 'ioredis';
import type { RequestContext, Viewer } from '../context/request-context';
import { requireTenant, requireViewer } from '../context/request-context';
import { isUuid } from '../ids';

/** A subscription event and the (JSON-safe) payload type it carries. */
export interface EventDefinition<T> {
  readonly name: string;
  /** Type carrier only. */
  readonly payloadType?: T;
}

export function defineEvent<T>(name: string): EventDefinition<T> {
  if (!/^[A-Za-z][A-Za-z0-9_.]*$/.test(name)) throw new Error(`Bad event name ${name}: letters, digits, _ and . only`);
  return { name };
}

interface Envelope {
  organizationId: string;
  payload: unknown;
}

export interface SubscribeOptions<T> {
  /** Drops events this subscriber must not see (another user's, another record's). */
  filter?: (payload: T) => boolean;
  /** Events kept for a slow consumer; older ones are dropped beyond it. */
  bufferSize?: number;
}

export interface TenantPubSub {
  readonly backend: 'memory' | 'redis';
  publish<T>(event: EventDefinition<T>, organizationId: string, payload: T): void;
  subscribe<T>(event: EventDefinition<T>, organizationId: string, options?: SubscribeOptions<T>): AsyncIterableIterator<T>;
  close(): Promise<void>;
}

function requireOrganization(organizationId: string): void {
  if (!organizationId || !isUuid(organizationId)) throw new Error('Pub/sub topics need an organization id');
}

type Target = NonNullable<Parameters<typeof createPubSub>[0]>['eventTarget'];
type Listener = Parameters<NonNullable<Target>['addEventListener']>[1];

/**
 * Redis channels carry a deployment prefix; publishing goes through our own client call so a
 * Redis failure is logged instead of becoming an unhandled rejection.
 */
function redisTarget(url: string, prefix: string, log: (err: unknown) => void) {
  const publishClient = new Redis(url, { maxRetriesPerRequest: 3 });
  const subscribeClient = new Redis(url);
  publishClient.on('error', log);
  subscribeClient.on('error', log);
  const inner = createRedisEventTarget<CustomEvent>({ publishClient, subscribeClient });
  const target = {
    addEventListener: (topic: string, listener: Listener) => inner.addEventListener(prefix + topic, listener as never),
    removeEventListener: (topic: string, listener: Listener) => inner.removeEventListener(prefix + topic, listener as never),
    dispatchEvent: (event: CustomEvent) => {
      publishClient.publish(prefix + event.type, JSON.stringify(event.detail)).catch(log);
      return true;
    },
  } as unknown as Target;
  return {
    target,
    ready: () => Promise.all([publishClient.ping(), subscribeClient.ping()]).then(() => undefined),
    close: async () => {
      await Promise.allSettled([publishClient.quit(), subscribeClient.quit()]);
    },
  };
}

/**
 * One consumer's view of a topic: the organization is checked again on every event, the filter
 * runs before buffering, and a consumer slower than the publishers loses its oldest events
 * instead of growing without bound (the underlying repeater would throw past 1,024).
 */
function boundedStream<T>(
  source: AsyncIterableIterator<Envelope | null>,
  organizationId: string,
  options: SubscribeOptions<T>,
): AsyncIterableIterator<T> {
  const capacity = options.bufferSize ?? 256;
  const queue: T[] = [];
  let waiting = null as ((r: IteratorResult<T>) => void) | null;
  let done = false;
  const finish = () => {
    done = true;
    queue.length = 0;
    const w = waiting;
    waiting = null;
    w?.({ value: undefined, done: true });
  };
  void (async () => {
    try {
      for await (const envelope of source) {
        if (done) break;
        if (!envelope || envelope.organizationId !== organizationId) continue;
        const payload = envelope.payload as T;
        if (options.filter && !options.filter(payload)) continue;
        if (waiting) {
          const w = waiting;
          waiting = null;
          w({ value: payload, done: false });
        } else {
          queue.push(payload);
          if (queue.length > capacity) queue.shift();
        }
      }
    } catch (err) {
      console.error(err);
    } finally {
      finish();
    }
  })();
  return {
    next() {
      if (queue.length) return Promise.resolve({ value: queue.shift()!, done: false });
      if (done) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => (waiting = resolve));
    },
    async return() {
      finish();
      await source.return?.();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

export interface PubSubOptions {
  redisUrl?: string;
  channelPrefix?: string;
  log?: (err: unknown) => void;
}

/** In-process pub/sub, or Redis-backed when a URL is given (resolves once Redis answers). */
export async function createTenantPubSub(options: PubSubOptions = {}): Promise<TenantPubSub> {
  const log = options.log ?? ((err: unknown) => console.error('pubsub:', err));
  const redis = options.redisUrl ? redisTarget(options.redisUrl, options.channelPrefix ?? '', log) : undefined;
  if (redis) await redis.ready();
  // Every subscriber of a topic is one listener: Node's leak warning past 10 does not apply here.
  const local = new EventTarget();
  setMaxListeners(0, local);
  const pubsub = createPubSub<Record<string, [string, Envelope]>>({ eventTarget: redis?.target ?? (local as unknown as Target) });
  return {
    backend: redis ? 'redis' : 'memory',
    publish(event, organizationId, payload) {
      requireOrganization(organizationId);
      // Serialized here for the in-process backend too: subscribers never share the publisher's objects.
      const envelope: Envelope = redis ? { organizationId, payload } : JSON.parse(JSON.stringify({ organizationId, payload }));
      pubsub.publish(event.name, organizationId, envelope);
    },
    subscribe(event, organizationId, subscribeOptions = {}) {
      requireOrganization(organizationId);
      const source = pubsub.subscribe(event.name, organizationId) as unknown as AsyncIterableIterator<Envelope | null>;
      return boundedStream(source, organizationId, subscribeOptions);
    },
    async close() {
      await redis?.close();
    },
  };
}

/**
 * Publishes `payload` to the organization's topic once the caller's transaction has committed
 * (dropped if it rolls back). The organization is explicit: the row's, not whoever is calling.
 */
export function publishAfterCommit<T>(ctx: RequestContext, event: EventDefinition<T>, organizationId: string, payload: T): void {
  requireOrganization(organizationId);
  ctx.db.afterCommit(async () => ctx.app.pubsub.publish(event, organizationId, payload));
}

/**
 * The events of the subscriber's own organization (from its verified token), optionally
 * narrowed by `filter(payload, viewer)`. The WebSocket server re-checks the subscriber's
 * permissions before each event is delivered.
 */
export function subscribeTo<T>(
  ctx: RequestContext,
  event: EventDefinition<T>,
  filter?: (payload: T, viewer: Viewer) => boolean,
): AsyncIterableIterator<T> {
  const viewer = requireViewer(ctx);
  const organizationId = requireTenant(ctx);
  return ctx.app.pubsub.subscribe(event, organizationId, { filter: filter && ((payload) => filter(payload, viewer)) });
}

/**
 * The events of `source` for which `keep` resolves true: for checks that need the database at
 * delivery time (a scope as it is when the event arrives), which a synchronous filter cannot do.
 */
export function filterEvents<T>(source: AsyncIterableIterator<T>, keep: (event: T) => Promise<boolean>): AsyncIterableIterator<T> {
  return {
    async next() {
      for (;;) {
        const step = await source.next();
        if (step.done || (await keep(step.value))) return step;
      }
    },
    async return() {
      await source.return?.();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
