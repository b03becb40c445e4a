import { ArgsType, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
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

@ObjectType({ simpleResolvers: true, description: 'A status change or progress report of a background job' })
export class JobProgressUpdate {
  @Field(() => ID, { description: 'The backgroundJob id' }) jobId!: string;
  @Field() type!: string;
  @Field(() => BackgroundJobStatus) status!: BackgroundJobStatus;
  @Field(() => Int, { description: '0 to 100' }) progress!: number;
}
