/**
 * Background jobs as the API shows them. A member sees the jobs they started; `job:read`
 * shows every job of the organization. Another organization's job, or someone else's without
 * `job:read`, is NOT_FOUND (row-level security backs the tenant condition).
 */
import { requireTenant, requireTenantScope, requireViewer, type RequestContext } from '../../core/context/request-context';
import { scopeOf } from '../../core/access/permissions';
import { notFound } from '../../core/errors';
import { buildConnection, type ListArgs } from '../../core/orm/connection';
import { BackgroundJob } from '../../entities/jobs/background-job.entity';

/** Finished rows older than this are deleted by the cleanup (the queue itself keeps them 7–30 days). */
export const FINISHED_JOB_RETENTION_DAYS = 30;

const seesAll = (ctx: RequestContext) => scopeOf(requireViewer(ctx).permissions, 'job:read') === 'all';

export async function getBackgroundJob(ctx: RequestContext, id: string): Promise<BackgroundJob> {
  requireTenant(ctx);
  const row = await ctx.loaders.byId<BackgroundJob>(BackgroundJob, id);
  if (!row || (!seesAll(ctx) && row.actorId !== requireViewer(ctx).userId)) throw notFound('Background job', 'id');
  return row;
}

/** Newest first. */
export async function listBackgroundJobs(ctx: RequestContext, args: Omit<ListArgs, 'orderBy'>) {
  requireTenant(ctx);
  const viewer = requireViewer(ctx);
  const all = seesAll(ctx);
  return buildConnection<BackgroundJob>(ctx.db, BackgroundJob, {
    filter: args.filter,
    orderBy: [{ field: 'createdAt', direction: 'DESC' }],
    first: args.first,
    after: args.after,
    where: all ? undefined : (qb) => qb.where('actor_id', viewer.userId),
  });
}

/** Deletes the organization's job rows that finished more than the retention ago. Idempotent. */
export async function deleteOldJobRecords(ctx: RequestContext): Promise<number> {
  const organizationId = requireTenantScope(ctx);
  const trx = await ctx.db.trx();
  return trx('background_job')
    .where('organization_id', organizationId)
    .whereIn('status', ['completed', 'failed', 'cancelled'])
    .where('finished_at', '<', trx.raw(`now() - interval '${FINISHED_JOB_RETENTION_DAYS} days'`))
    .delete();
}
