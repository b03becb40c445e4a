/** Background jobs: definitions, the queue, enqueueing after commit, workers and progress events. */
export { defineJob, JobRegistry, type AnyJob, type JobDefinition, type ProgressReporter } from './define-job';
export {
  enqueueJob,
  jobIdFor,
  JobQueue,
  permanentFailure,
  QUEUE_NAME,
  scheduleSystemJob,
  startJobWorkers,
  unscheduleSystemJob,
  type EnqueuedJob,
  type EnqueueOptions,
  type JobEnvelope,
  type JobWorkers,
} from './job-queue';
export { onJobProgress, type JobProgressEvent, type JobStatus } from './progress';
export { createQueueBackend, prepareQueueSchema, QUEUE_SCHEMA, type QueueBackend, type QueueBackendKind } from './queue-backend';
