/**
 * `jobProgress`: every status change and progress report of a tenant job, delivered to the user
 * who started it (and to members with `job:read`). Workers report in their own process;
 * relayJobProgress publishes those reports on the organization's topic, which crosses processes
 * when pub/sub runs on Redis.
 */
import type { AppDeps, RequestContext } from '../../core/context/request-context';
import { scopeOf } from '../../core/access/permissions';
import { onJobProgress, type JobProgressEvent } from '../../core/jobs';
import { defineEvent, subscribeTo } from '../../core/pubsub';

export const JobProgress = defineEvent<JobProgressEvent>('jobProgress');

/** Starts relaying this process's job reports to subscribers everywhere; returns the stop function. */
export function relayJobProgress(app: AppDeps): () => void {
  return onJobProgress((event) => app.pubsub.publish(JobProgress, event.organizationId, event));
}

/** The caller's jobs (every job of the organization with job:read), optionally one job only. */
export function subscribeJobProgress(ctx: RequestContext, jobId?: string | null): AsyncIterableIterator<JobProgressEvent> {
  return subscribeTo(
    ctx,
    JobProgress,
    (event, viewer) =>
      (!jobId || event.jobId === jobId) && (event.actorId === viewer.userId || scopeOf(viewer.permissions, 'job:read') === 'all'),
  );
}
