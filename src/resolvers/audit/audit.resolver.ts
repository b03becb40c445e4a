import { Args, Ctx, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../core/context/request-context';
import type { FilterInput } from '../../core/orm/connection';
import * as audit from '../../services/audit';
import { AuditChainReport, AuditLogConnection, AuditLogsArgs } from './audit.types';

@Resolver()
export class AuditResolver {
  @Query(() => AuditLogConnection, { description: 'The organization’s audit trail, newest first' })
  auditLogs(@Args() args: AuditLogsArgs, @Ctx() ctx: RequestContext) {
    return audit.listAuditLogs(ctx, { ...args, filter: args.filter as FilterInput | undefined });
  }

  @Query(() => AuditChainReport, { description: 'Recomputes the organization’s hash chain from its first row' })
  verifyAuditChain(@Ctx() ctx: RequestContext): Promise<AuditChainReport> {
    return audit.verifyOwnAuditChain(ctx);
  }
}
