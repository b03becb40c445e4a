import { Args, Ctx, Query, Resolver, Subscription } from 'type-graphql';
import type { RequestContext } from '../../core/context/request-context';
import type { FilterInput } from '../../core/orm/connection';
import * as audit from '../../services/audit';
import type { AuditLogEvent } from '../../services/audit';
import { AuditLog } from '../../entities/audit/audit-log.entity';
import { AuditChainReport, AuditLogConnection, AuditLogsArgs } from './audit.types';
import { Parent } from '../../schema/common';
import { SelectedNodes, type FieldSelection } from '../../schema/selection';

@Resolver()
export class AuditResolver {
  @Query(() => AuditLogConnection, { description: 'The organization’s audit trail, newest first' })
  auditLogs(@Args() args: AuditLogsArgs, @SelectedNodes(AuditLog) select: FieldSelection, @Ctx() ctx: RequestContext) {
    return audit.listAuditLogs(ctx, { ...args, filter: args.filter as FilterInput | undefined, select });
  }

  @Query(() => AuditChainReport, { description: 'Recomputes the organization’s hash chain from its first row' })
  verifyAuditChain(@Ctx() ctx: RequestContext): Promise<AuditChainReport> {
    return audit.verifyOwnAuditChain(ctx);
  }

  @Subscription(() => AuditLog, {
    description: 'New rows of the organization’s audit trail, once their change has committed',
    subscribe: ({ context }) => audit.subscribeAuditLogAdded(context as RequestContext),
  })
  auditLogAdded(@Parent() event: AuditLogEvent): AuditLog {
    return audit.auditLogFromEvent(event);
  }
}
