import { ArgsType, Field, InputType } from 'type-graphql';
import { BackgroundJob, BackgroundJobStatus } from '../../entities/jobs/background-job.entity';
import { Connection, DateTimeFilter, EnumFilter, PageArgs, StringFilter } from '../../schema/common';

export const BackgroundJobConnection = Connection(BackgroundJob);
const BackgroundJobStatusFilter = EnumFilter(BackgroundJobStatus, 'BackgroundJobStatus');

@InputType()
export class BackgroundJobFilter {
  @Field(() => StringFilter, { nullable: true }) type?: StringFilter;
  @Field(() => BackgroundJobStatusFilter, { nullable: true }) status?: InstanceType<typeof BackgroundJobStatusFilter>;
  @Field(() => DateTimeFilter, { nullable: true }) createdAt?: DateTimeFilter;
}

@ArgsType()
export class BackgroundJobsArgs extends PageArgs {
  @Field(() => BackgroundJobFilter, { nullable: true }) filter?: BackgroundJobFilter;
}
