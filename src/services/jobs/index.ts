export { getBackgroundJob, listBackgroundJobs, deleteOldJobRecords, FINISHED_JOB_RETENTION_DAYS } from './background-job.service';
export { JobProgress, relayJobProgress, subscribeJobProgress } from './job-progress';
