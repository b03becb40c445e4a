/** The local Redis the scale-out tests use, and whether it answers (they skip, saying why, when not). */
import { Redis } from 'ioredis';

export const LOCAL_REDIS_URL = 'redis://127.0.0.1:6379';

/** null when a Redis answers PING on 127.0.0.1:6379 within half a second, else why not. */
export async function redisSkipReason(): Promise<string | null> {
  const probe = new Redis(LOCAL_REDIS_URL, { lazyConnect: true, connectTimeout: 500, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    await probe.ping();
    return null;
  } catch (err) {
    return `no Redis answers on 127.0.0.1:6379 (${(err as Error).message})`;
  } finally {
    probe.disconnect();
  }
}
