import { isAuthenticated, type RuleMap } from '../../schema/rules';

// Own jobs need no permission; the service widens to every job with job:read.
export const jobsRules: RuleMap = {
  Query: { backgroundJob: isAuthenticated, backgroundJobs: isAuthenticated },
  Subscription: { jobProgress: isAuthenticated },
};
