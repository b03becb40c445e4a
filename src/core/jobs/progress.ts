/**
 * In-process job events: every status change and progress report of a tenant job, as it is
 * recorded. The subscriptions layer listens here (and relays across processes when configured).
 */
import { EventEmitter } from 'node:events';

export type JobStatus = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';

export interface JobProgressEvent {
  /** The background_job row id (what the API exposes). */
  jobId: string;
  organizationId: string;
  /** Who enqueued it (null for system fan-out). */
  actorId: string | null;
  type: string;
  status: JobStatus;
  progress: number;
}

const events = new EventEmitter();
// Every subscriber adds one listener; the count is bounded by the subscriptions layer, not here.
events.setMaxListeners(0);

/** Calls `listener` for every job event in this process; returns the function that stops it. */
export function onJobProgress(listener: (event: JobProgressEvent) => void): () => void {
  events.on('progress', listener);
  return () => events.off('progress', listener);
}

export function emitJobProgress(event: JobProgressEvent): void {
  for (const listener of events.listeners('progress')) {
    try {
      (listener as (e: JobProgressEvent) => void)(event);
    } catch (err) {
      // A faulty listener must not fail the job that reported progress.
      console.error('job progress listener failed', err);
    }
  }
}
