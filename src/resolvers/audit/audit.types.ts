import { ArgsType, Field, InputType, Int, ObjectType } from 'type-graphql';
import { AuditLog } from '../../entities/audit/audit-log.entity';
import { Connection, DateTimeFilter, IdFilter, PageArgs, StringFilter } from '../../schema/common';

export const AuditLogConnection = Connection(AuditLog);

@InputType()
export class AuditLogFilter {
  @Field(() => StringFilter, { nullable: true }) action?: StringFilter;
  @Field(() => StringFilter, { nullable: true }) resourceType?: StringFilter;
  @Field(() => StringFilter, { nullable: true }) resourceId?: StringFilter;
  @Field(() => IdFilter, { nullable: true }) userId?: IdFilter;
  @Field(() => DateTimeFilter, { nullable: true }) createdAt?: DateTimeFilter;
}

@ArgsType()
export class AuditLogsArgs extends PageArgs {
  @Field(() => AuditLogFilter, { nullable: true }) filter?: AuditLogFilter;
}

@ObjectType({ simpleResolvers: true })
export class AuditChainReport {
  @Field() valid!: boolean;
  @Field(() => Int) checkedCount!: number;
  @Field(() => String, { nullable: true, description: 'First sequence number where the chain breaks' }) brokenAtSeq!: string | null;
  @Field(() => String, { nullable: true }) reason!: string | null;
}
