/**
 * Projects and their milestones: creation, updates, status transitions, progress, approval,
 * and the scheduled overdue sweep. Reads are plain rows through buildConnection and the
 * request's loaders; the `own` scope (recipients) is applied to every read and write.
 */
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestContext } from '../../core/context/request-context';
import { requireTenant, requireTenantScope, requireViewer } from '../../core/context/request-context';
import { conflict, DomainError, notFound } from '../../core/errors';
import { assertId } from '../../core/ids';
import { buildConnection, type ListArgs } from '../../core/orm/connection';
import { publishAfterCommit } from '../../core/pubsub';
import { PartnerMember } from '../../entities/csr/partner.entity';
import { Milestone, MilestoneStatus, Project, ProjectStatus, Sector } from '../../entities/csr/project.entity';
import { recordAudit } from '../audit';
import { notify } from '../notifications';
import { MilestoneUpdated } from './csr.events';
import { assertInScope, projectScope, requireAllScope, type ProjectScope } from './csr.scope';
import { datesInOrder, diff, optionalText, percentage, positiveMoney, requiredText } from './csr.values';
import { assertRecipientPartner } from './partner.service';
import type { Loaded } from '../../core/orm/loaders';

export interface ProjectInput {
  title?: string | null;
  description?: string | null;
  sector?: Sector | null;
  startDate?: string | null;
  endDate?: string | null;
  estimatedBudget?: string | null;
  partnerId?: string | null;
}

/** Allowed project status changes; anything else is refused with CONFLICT / ILLEGAL_TRANSITION. */
export const PROJECT_TRANSITIONS: Record<ProjectStatus, ProjectStatus[]> = {
  [ProjectStatus.PLANNING]: [ProjectStatus.ACTIVE, ProjectStatus.CANCELLED],
  [ProjectStatus.ACTIVE]: [ProjectStatus.ON_HOLD, ProjectStatus.COMPLETED, ProjectStatus.CANCELLED],
  [ProjectStatus.ON_HOLD]: [ProjectStatus.ACTIVE, ProjectStatus.CANCELLED],
  [ProjectStatus.COMPLETED]: [],
  [ProjectStatus.CANCELLED]: [],
};

const projectSnapshot = (p: Project) => ({
  title: p.title, description: p.description, sector: p.sector, status: p.status, startDate: p.startDate, endDate: p.endDate,
  estimatedBudget: p.estimatedBudget, partnerId: p.partnerId,
});

const milestoneSnapshot = (m: Milestone) => ({
  title: m.title, description: m.description, dueDate: m.dueDate, completionPercentage: m.completionPercentage, status: m.status, notes: m.notes,
});

function projectValues(input: ProjectInput): Partial<Project> {
  const values: Partial<Project> = {};
  if (input.title != null) values.title = requiredText('title', input.title);
  if (input.description !== undefined) values.description = optionalText('description', input.description);
  if (input.sector != null) values.sector = input.sector;
  if (input.startDate !== undefined) values.startDate = input.startDate;
  if (input.endDate !== undefined) values.endDate = input.endDate;
  if (input.estimatedBudget !== undefined) values.estimatedBudget = input.estimatedBudget === null ? null : positiveMoney('estimatedBudget', input.estimatedBudget);
  return values;
}

/** A project row the caller may reach with `permission`, loaded in `em` (NOT_FOUND otherwise). */
async function projectIn(em: EntityManager, scope: ProjectScope, id: string, field = 'id', lock = false): Promise<Project> {
  const project = await em.findOne(Project, { id: assertId(field, id) }, lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {});
  if (!project) throw notFound('Project', field);
  assertInScope(scope, project.partnerId, 'Project', field);
  return project;
}

/** The project `id` as the caller may read it (plain row), or NOT_FOUND. */
export async function getProject(ctx: RequestContext, id: string, permission = 'project:read'): Promise<Project> {
  const scope = await projectScope(ctx, permission);
  const project = await ctx.loaders.byId<Project>(Project, assertId('id', id));
  if (!project) throw notFound('Project', 'id');
  assertInScope(scope, project.partnerId);
  return project;
}

export interface ProjectListArgs extends ListArgs {
  search?: string | null;
}

export async function listProjects(ctx: RequestContext, args: ProjectListArgs) {
  const scope = await projectScope(ctx, 'project:read');
  const search = args.search?.trim();
  return buildConnection<Project>(ctx.db, Project, {
    filter: args.filter,
    orderBy: args.orderBy ?? [{ field: 'createdAt', direction: 'DESC' }],
    first: args.first,
    after: args.after,
    select: args.select,
    where: (qb) => {
      if (scope) qb.whereIn('partner_id', scope);
      if (search) {
        const term = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        qb.where((b) => b.whereILike('title', term).orWhereILike('description', term));
      }
    },
  });
}

export async function createProject(ctx: RequestContext, input: ProjectInput & { title: string; sector: Sector }): Promise<Project> {
  requireTenant(ctx);
  requireAllScope(ctx, 'project:write');
  const viewer = requireViewer(ctx);
  const values = projectValues(input);
  datesInOrder(values.startDate, values.endDate);
  return ctx.db.transactional(async (em) => {
    if (input.partnerId) values.partnerId = (await assertRecipientPartner(em, input.partnerId)).id;
    const project = em.create(Project, { ...values, status: ProjectStatus.PLANNING, actualExpenditure: '0', createdBy: viewer.userId } as Project);
    await em.flush();
    await recordAudit(ctx, em, { action: 'csr.project.create', resourceType: 'Project', resourceId: project.id, changes: diff({}, projectSnapshot(project)) });
    return project;
  });
}

/** Updates a project's details; a recipient only their partner's, and never its partner. */
export async function updateProject(ctx: RequestContext, id: string, input: ProjectInput): Promise<Project> {
  const values = projectValues(input);
  return ctx.db.transactional(async (em) => {
    const scope = await projectScope(ctx, 'project:write', em);
    const project = await projectIn(em, scope, id);
    if (input.partnerId !== undefined) {
      if (scope) throw new DomainError('FORBIDDEN', 'Only a manager may change the partner of a project', { field: 'partnerId' });
      values.partnerId = input.partnerId === null ? null : (await assertRecipientPartner(em, input.partnerId)).id;
    }
    const before = projectSnapshot(project);
    em.assign(project, values);
    datesInOrder(project.startDate, project.endDate, input.endDate !== undefined ? 'endDate' : 'startDate');
    await em.flush();
    const changes = diff(before, projectSnapshot(project));
    if (Object.keys(changes).length) await recordAudit(ctx, em, { action: 'csr.project.update', resourceType: 'Project', resourceId: id, changes });
    return project;
  });
}

/** Moves a project along PROJECT_TRANSITIONS (row locked, so two changes cannot both pass the check). */
export async function changeProjectStatus(ctx: RequestContext, id: string, status: ProjectStatus): Promise<Project> {
  return ctx.db.transactional(async (em) => {
    const scope = await projectScope(ctx, 'project:write', em);
    const project = await projectIn(em, scope, id, 'id', true);
    const from = project.status;
    if (!PROJECT_TRANSITIONS[from].includes(status)) {
      throw new DomainError('CONFLICT', `A ${from} project cannot become ${status}`, { field: 'status', reason: 'ILLEGAL_TRANSITION', from, to: status });
    }
    project.status = status;
    await em.flush();
    await recordAudit(ctx, em, { action: 'csr.project.status_change', resourceType: 'Project', resourceId: id, changes: { status: { from, to: status } } });
    return project;
  });
}

// ---- Milestones ----

export interface MilestoneInput {
  title?: string | null;
  description?: string | null;
  dueDate?: string | null;
  notes?: string | null;
}

function milestoneValues(input: MilestoneInput): Partial<Milestone> {
  const values: Partial<Milestone> = {};
  if (input.title != null) values.title = requiredText('title', input.title);
  if (input.description !== undefined) values.description = optionalText('description', input.description);
  if (input.dueDate !== undefined) values.dueDate = input.dueDate;
  if (input.notes !== undefined) values.notes = optionalText('notes', input.notes);
  return values;
}

function publishMilestone(ctx: RequestContext, m: Milestone, partnerId: string | null | undefined): void {
  publishAfterCommit(ctx, MilestoneUpdated, m.organizationId, {
    projectId: m.projectId,
    milestoneId: m.id,
    status: m.status,
    completionPercentage: m.completionPercentage,
    partnerId: partnerId ?? null,
  });
}

/** The milestone and its project, inside the caller's scope of `permission`. */
async function milestoneIn(ctx: RequestContext, em: EntityManager, permission: string, id: string): Promise<{ milestone: Milestone; project: Project }> {
  const scope = await projectScope(ctx, permission, em);
  const milestone = await em.findOne(Milestone, { id: assertId('id', id) }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!milestone) throw notFound('Milestone', 'id');
  const project = await em.findOneOrFail(Project, { id: milestone.projectId });
  assertInScope(scope, project.partnerId, 'Milestone', 'id');
  return { milestone, project };
}

export async function createMilestone(ctx: RequestContext, projectId: string, input: MilestoneInput & { title: string }): Promise<Milestone> {
  const values = milestoneValues(input);
  return ctx.db.transactional(async (em) => {
    const scope = await projectScope(ctx, 'milestone:write', em);
    const project = await projectIn(em, scope, projectId, 'projectId');
    if (values.dueDate && project.startDate && values.dueDate < project.startDate) throw new DomainError('BAD_USER_INPUT', 'dueDate must not be before the project starts', { field: 'dueDate' });
    const milestone = em.create(Milestone, { ...values, projectId: project.id, completionPercentage: 0, status: MilestoneStatus.PENDING } as Milestone);
    await em.flush();
    await recordAudit(ctx, em, { action: 'csr.milestone.create', resourceType: 'Milestone', resourceId: milestone.id, changes: { projectId, ...diff({}, milestoneSnapshot(milestone)) } });
    publishMilestone(ctx, milestone, project.partnerId);
    return milestone;
  });
}

export async function updateMilestone(ctx: RequestContext, id: string, input: MilestoneInput): Promise<Milestone> {
  const values = milestoneValues(input);
  return ctx.db.transactional(async (em) => {
    const { milestone, project } = await milestoneIn(ctx, em, 'milestone:write', id);
    if (milestone.status === MilestoneStatus.APPROVED) throw conflict('An approved milestone cannot change', 'id');
    const before = milestoneSnapshot(milestone);
    em.assign(milestone, values);
    if (milestone.dueDate && project.startDate && milestone.dueDate < project.startDate) throw new DomainError('BAD_USER_INPUT', 'dueDate must not be before the project starts', { field: 'dueDate' });
    await em.flush();
    const changes = diff(before, milestoneSnapshot(milestone));
    if (Object.keys(changes).length) await recordAudit(ctx, em, { action: 'csr.milestone.update', resourceType: 'Milestone', resourceId: id, changes });
    return milestone;
  });
}

/**
 * Records progress: 0 % pending, 1–99 % in progress, 100 % completed. An overdue milestone stays
 * overdue until it reaches 100 %. Approved milestones no longer change.
 */
export async function updateMilestoneProgress(ctx: RequestContext, id: string, completionPercentage: number, notes?: string | null): Promise<Milestone> {
  percentage('completionPercentage', completionPercentage);
  const note = optionalText('notes', notes);
  return ctx.db.transactional(async (em) => {
    const { milestone, project } = await milestoneIn(ctx, em, 'milestone:write', id);
    if (milestone.status === MilestoneStatus.APPROVED) throw conflict('An approved milestone cannot change', 'id');
    const before = milestoneSnapshot(milestone);
    milestone.completionPercentage = completionPercentage;
    if (completionPercentage === 100) milestone.status = MilestoneStatus.COMPLETED;
    else if (milestone.status === MilestoneStatus.OVERDUE) milestone.status = MilestoneStatus.OVERDUE;
    else milestone.status = completionPercentage === 0 ? MilestoneStatus.PENDING : MilestoneStatus.IN_PROGRESS;
    if (note !== undefined) milestone.notes = note;
    await em.flush();
    const changes = diff(before, milestoneSnapshot(milestone));
    if (Object.keys(changes).length) {
      await recordAudit(ctx, em, { action: 'csr.milestone.progress', resourceType: 'Milestone', resourceId: id, changes });
      publishMilestone(ctx, milestone, project.partnerId);
    }
    return milestone;
  });
}

/** Approves a milestone at 100 % (milestone:approve, checked by shield); records who and when. */
export async function approveMilestone(ctx: RequestContext, id: string): Promise<Milestone> {
  const viewer = requireViewer(ctx);
  return ctx.db.transactional(async (em) => {
    const { milestone, project } = await milestoneIn(ctx, em, 'milestone:approve', id);
    if (milestone.status === MilestoneStatus.APPROVED) throw conflict('The milestone is approved already', 'id');
    if (milestone.completionPercentage !== 100) {
      throw new DomainError('CONFLICT', `Only a milestone at 100 % can be approved (this one is at ${milestone.completionPercentage} %)`, { field: 'id', reason: 'INCOMPLETE' });
    }
    const from = milestone.status;
    milestone.status = MilestoneStatus.APPROVED;
    milestone.approvedBy = viewer.userId;
    milestone.approvedAt = new Date();
    await em.flush();
    await recordAudit(ctx, em, {
      action: 'csr.milestone.approve',
      resourceType: 'Milestone',
      resourceId: id,
      changes: { status: { from, to: MilestoneStatus.APPROVED }, approvedBy: viewer.userId, approvedAt: milestone.approvedAt.toISOString() },
    });
    publishMilestone(ctx, milestone, project.partnerId);
    return milestone;
  });
}

export async function getMilestone(ctx: RequestContext, id: string): Promise<Milestone> {
  const scope = await projectScope(ctx, 'milestone:read');
  const milestone = await ctx.loaders.byId<Milestone>(Milestone, assertId('id', id));
  if (!milestone) throw notFound('Milestone', 'id');
  if (scope) {
    const project = await ctx.loaders.byId<Project>(Project, milestone.projectId);
    assertInScope(scope, project?.partnerId, 'Milestone', 'id');
  }
  return milestone;
}

/** Milestones of one project (a field of Project: the project is visible already; batched). */
/** A project's milestones (the project was scoped when it was read); `select` as in partnerById. */
export function projectMilestones(ctx: RequestContext, projectId: string, select?: Iterable<string>): Loaded<Milestone[]> {
  return ctx.loaders.manyBy<Milestone>(Milestone, 'projectId', projectId, select);
}

export async function listMilestones(ctx: RequestContext, args: ListArgs & { search?: string | null }) {
  const scope = await projectScope(ctx, 'milestone:read');
  const orgId = requireTenant(ctx);
  const search = args.search?.trim();
  return buildConnection<Milestone>(ctx.db, Milestone, {
    filter: args.filter,
    orderBy: args.orderBy ?? [{ field: 'dueDate', direction: 'ASC' }],
    first: args.first,
    after: args.after,
    select: args.select,
    where: (qb) => {
      if (scope) qb.whereIn('project_id', (sub) => sub.select('id').from('csr_project').where('organization_id', orgId).whereIn('partner_id', scope));
      if (search) {
        const term = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        qb.where((b) => b.whereILike('title', term).orWhereILike('notes', term));
      }
    },
  });
}

/**
 * For the scheduled sweep (one run per organization): marks every milestone whose due date has
 * passed and that is neither completed nor approved `overdue`, in one statement, and notifies
 * the project's creator and its partner's users once per milestone. Idempotent: a milestone
 * already overdue is not touched again. Returns how many became overdue.
 */
export async function markOverdueMilestones(ctx: RequestContext, today?: string): Promise<number> {
  const organizationId = requireTenantScope(ctx);
  return ctx.db.transactional(async (em) => {
    const rows = await em.execute<{ id: string; project_id: string; title: string; due_date: string; completion_percentage: number; project_title: string; created_by_id: string | null; partner_id: string | null }[]>(
      `update csr_milestone m set status = 'overdue', updated_at = now()
         from csr_project p
        where m.project_id = p.id and m.organization_id = ? and p.organization_id = ?
          and m.due_date < coalesce(?::date, current_date)
          and m.status in ('pending', 'in_progress')
          and p.status in ('planning', 'active', 'on_hold')
        returning m.id, m.project_id, m.title, m.due_date::text as due_date, m.completion_percentage, p.title as project_title, p.created_by_id, p.partner_id`,
      [organizationId, organizationId, today ?? null],
    );
    if (!rows.length) return 0;
    const partnerIds = [...new Set(rows.map((r) => r.partner_id).filter((p): p is string => Boolean(p)))];
    const links = partnerIds.length ? await em.find(PartnerMember, { partnerId: { $in: partnerIds } }) : [];
    for (const r of rows) {
      const people = new Set<string>();
      if (r.created_by_id) people.add(r.created_by_id);
      for (const l of links) if (l.partnerId === r.partner_id) people.add(l.userId);
      for (const userId of people) {
        await notify(ctx, em, {
          userId,
          type: 'csr.milestone_overdue',
          title: `Milestone overdue: ${r.title}`,
          body: `“${r.title}” of ${r.project_title} was due on ${r.due_date} and is at ${r.completion_percentage} %.`,
          data: { projectId: r.project_id, milestoneId: r.id },
        });
      }
      publishAfterCommit(ctx, MilestoneUpdated, organizationId, {
        projectId: r.project_id, milestoneId: r.id, status: MilestoneStatus.OVERDUE, completionPercentage: r.completion_percentage, partnerId: r.partner_id,
      });
    }
    await recordAudit(ctx, em, {
      organizationId,
      userId: null,
      action: 'csr.milestone.overdue',
      resourceType: 'Milestone',
      changes: { ids: rows.map((r) => r.id), status: { from: 'pending|in_progress', to: 'overdue' } },
    });
    return rows.length;
  });
}
