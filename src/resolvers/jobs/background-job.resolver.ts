import { Arg, Args, Ctx, ID, Query, Resolver, Subscription } from 'type-graphql';
import type { JobProgressEvent } from '../../core/jobs';
import type { RequestContext } from '../../core/context/request-context';
import type { FilterInput } from '../../core/orm/connection';
import { BackgroundJob } from '../../entities/jobs/background-job.entity';
import * as jobs from '../../services/jobs';
import { BackgroundJobConnection, BackgroundJobsArgs, JobProgressUpdate } from './jobs.types';
import { Parent } from '../../schema/common';

@Resolver()
export class BackgroundJobResolver {
  @Query(() => BackgroundJob, { description: 'A background job you started (any of the organization’s with job:read)' })
  backgroundJob(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext) {
    return jobs.getBackgroundJob(ctx, id);
  }

  @Query(() => BackgroundJobConnection, { description: 'Background jobs you started (all of the organization’s with job:read), newest first' })
  backgroundJobs(@Args() args: BackgroundJobsArgs, @Ctx() ctx: RequestContext) {
    return jobs.listBackgroundJobs(ctx, { ...args, filter: args.filter as FilterInput | undefined });
  }

  @Subscription(() => JobProgressUpdate, {
    description: 'Status changes and progress of the jobs you started (all of the organization’s with job:read), or of one job',
    subscribe: ({ args, context }) => jobs.subscribeJobProgress(context as RequestContext, (args as { jobId?: string }).jobId),
  })
  jobProgress(@Parent() event: JobProgressEvent, @Arg('jobId', () => ID, { nullable: true }) _jobId?: string): JobProgressUpdate {
    return { jobId: event.jobId, type: event.type, status: event.status as JobProgressUpdate['status'], progress: event.progress };
  }
}
