import { BackgroundJobResolver } from './background-job.resolver';

export { jobsRules } from './jobs.rules';
export const jobsResolvers = [BackgroundJobResolver] as const;
