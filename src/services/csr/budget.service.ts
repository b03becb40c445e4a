/**
 * Budgets per financial year, allocations per sector, expenses and disbursements. The totals
 * always add up: allocations never exceed the budget (budget row locked while they change), and
 * approving an expense moves its allocation's `spent` (guarded: never above `allocated`) and the
 * project's actual expenditure in the same transaction.
 */
import Decimal from 'decimal.js';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestContext } from '../../core/context/request-context';
import { requireTenant, requireViewer } from '../../core/context/request-context';
import { badInput, conflict, DomainError, notFound } from '../../core/errors';
import { assertId } from '../../core/ids';
import { buildConnection, type ListArgs } from '../../core/orm/connection';
import { publishAfterCommit } from '../../core/pubsub';
import { Budget, BudgetAllocation, Disbursement, DisbursementStatus, Expense, ExpenseStatus } from '../../entities/csr/budget.entity';
import { Partner } from '../../entities/csr/partner.entity';
import { Project, ProjectStatus, Sector } from '../../entities/csr/project.entity';
import { File } from '../../entities/files/file.entity';
import { recordAudit } from '../audit';
import { ExpenseApproved } from './csr.events';
import { optionalText, positiveMoney, requiredText } from './csr.values';
import type { Loaded } from '../../core/orm/loaders';

// ---- Budgets and allocations ----

function financialYear(value: number): number {
  if (!Number.isInteger(value) || value < 2000 || value > 2100) throw badInput('financialYear', 'financialYear must be a year between 2000 and 2100');
  return value;
}

/** The budget row, locked for the rest of the transaction (allocations change one at a time). */
async function lockBudget(em: EntityManager, organizationId: string, id: string, field = 'budgetId') {
  const [row] = await em.execute<{ id: string; total: string; financial_year: number }[]>(
    'select id, total::text as total, financial_year from csr_budget where id = ? and organization_id = ? for update',
    [assertId(field, id), organizationId],
  );
  if (!row) throw notFound('Budget', field);
  return row;
}

async function allocatedSum(em: EntityManager, budgetId: string, exceptSector?: Sector): Promise<Decimal> {
  const [{ sum }] = await em.execute<{ sum: string }[]>(
    'select coalesce(sum(allocated), 0)::text as sum from csr_budget_allocation where budget_id = ? and (?::text is null or sector::text <> ?::text)',
    [budgetId, exceptSector ?? null, exceptSector ?? null],
  );
  return new Decimal(sum);
}

export async function createBudget(ctx: RequestContext, input: { financialYear: number; total: string }): Promise<Budget> {
  requireTenant(ctx);
  const viewer = requireViewer(ctx);
  const year = financialYear(input.financialYear);
  const total = positiveMoney('total', input.total);
  return ctx.db.transactional(async (em) => {
    if (await em.count(Budget, { financialYear: year })) throw conflict(`There is a budget for ${year} already`, 'financialYear');
    const budget = em.create(Budget, { financialYear: year, total, createdBy: viewer.userId } as Budget);
    await em.flush();
    await recordAudit(ctx, em, { action: 'csr.budget.create', resourceType: 'Budget', resourceId: budget.id, changes: { financialYear: year, total } });
    return budget;
  });
}

/** Changes a budget's total; it may not drop below what is allocated already. */
export async function updateBudgetTotal(ctx: RequestContext, id: string, total: string): Promise<Budget> {
  const organizationId = requireTenant(ctx);
  const amount = positiveMoney('total', total);
  return ctx.db.transactional(async (em) => {
    const row = await lockBudget(em, organizationId, id, 'id');
    const allocated = await allocatedSum(em, row.id);
    if (allocated.gt(amount)) throw conflict(`${allocated.toFixed(2)} is allocated already; the total cannot be lower`, 'total');
    await em.execute('update csr_budget set total = ?, updated_at = now() where id = ?', [amount, row.id]);
    await recordAudit(ctx, em, { action: 'csr.budget.update', resourceType: 'Budget', resourceId: row.id, changes: { total: { from: row.total, to: amount } } });
    return em.findOneOrFail(Budget, { id: row.id }, { refresh: true });
  });
}

/**
 * Sets a sector's allocation in a budget (creates or changes it). With the budget row locked,
 * the allocations together stay within the total, and an allocation never drops below its spent.
 */
export async function setBudgetAllocation(ctx: RequestContext, input: { budgetId: string; sector: Sector; allocated: string }): Promise<BudgetAllocation> {
  const organizationId = requireTenant(ctx);
  const allocated = positiveMoney('allocated', input.allocated);
  return ctx.db.transactional(async (em) => {
    const budget = await lockBudget(em, organizationId, input.budgetId);
    const others = await allocatedSum(em, budget.id, input.sector);
    if (others.plus(allocated).gt(budget.total)) {
      throw conflict(`Allocations would total ${others.plus(allocated).toFixed(2)}, above the budget of ${new Decimal(budget.total).toFixed(2)}`, 'allocated');
    }
    const existing = await em.findOne(BudgetAllocation, { budgetId: budget.id, sector: input.sector });
    if (existing && new Decimal(existing.spent).gt(allocated)) throw conflict(`${existing.spent} is spent already; the allocation cannot be lower`, 'allocated');
    const before = existing?.allocated ?? null;
    const allocation = existing ?? em.create(BudgetAllocation, { budgetId: budget.id, sector: input.sector, allocated, spent: '0' } as BudgetAllocation);
    allocation.allocated = allocated;
    await em.flush();
    await recordAudit(ctx, em, {
      action: existing ? 'csr.allocation.update' : 'csr.allocation.create',
      resourceType: 'BudgetAllocation',
      resourceId: allocation.id,
      changes: { budgetId: budget.id, sector: input.sector, allocated: { from: before, to: allocated } },
    });
    return allocation;
  });
}

export async function getBudget(ctx: RequestContext, id: string): Promise<Budget> {
  requireTenant(ctx);
  const budget = await ctx.loaders.byId<Budget>(Budget, assertId('id', id));
  if (!budget) throw notFound('Budget', 'id');
  return budget;
}

export function listBudgets(ctx: RequestContext, args: ListArgs) {
  requireTenant(ctx);
  return buildConnection<Budget>(ctx.db, Budget, { filter: args.filter, orderBy: args.orderBy ?? [{ field: 'financialYear', direction: 'DESC' }], first: args.first, after: args.after, select: args.select });
}

/** A budget's allocations; `select`: the fields the client asked for (the loader reads only those columns). */
export function budgetAllocations(ctx: RequestContext, budgetId: string, select?: Iterable<string>): Loaded<BudgetAllocation[]> {
  return ctx.loaders.manyBy<BudgetAllocation>(BudgetAllocation, 'budgetId', budgetId, select);
}

export function allocationById(ctx: RequestContext, id: string, select?: Iterable<string>): Loaded<BudgetAllocation | null> {
  return ctx.loaders.byId<BudgetAllocation>(BudgetAllocation, id, select);
}

// ---- Expenses ----

export interface ExpenseInput {
  projectId: string;
  allocationId: string;
  amount: string;
  category: string;
  description?: string | null;
  expenseDate: string;
  receiptFileId?: string | null;
}

/** Submits an expense of a project against the allocation of the project's sector. */
export async function createExpense(ctx: RequestContext, input: ExpenseInput): Promise<Expense> {
  requireTenant(ctx);
  const viewer = requireViewer(ctx);
  const amount = positiveMoney('amount', input.amount);
  const category = requiredText('category', input.category, 100);
  const description = optionalText('description', input.description);
  return ctx.db.transactional(async (em) => {
    const project = await em.findOne(Project, { id: assertId('projectId', input.projectId) });
    if (!project) throw notFound('Project', 'projectId');
    if (project.status === ProjectStatus.CANCELLED || project.status === ProjectStatus.COMPLETED) throw conflict(`The project is ${project.status}`, 'projectId');
    const allocation = await em.findOne(BudgetAllocation, { id: assertId('allocationId', input.allocationId) });
    if (!allocation) throw notFound('BudgetAllocation', 'allocationId');
    if (allocation.sector !== project.sector) throw badInput('allocationId', `The allocation is for ${allocation.sector}; the project is in ${project.sector}`);
    if (input.receiptFileId) {
      const file = await em.findOne(File, { id: assertId('receiptFileId', input.receiptFileId) });
      if (!file) throw notFound('File', 'receiptFileId');
      if (file.status !== 'ready') throw conflict('The receipt has not been uploaded yet', 'receiptFileId');
    }
    const expense = em.create(Expense, {
      projectId: project.id, allocationId: allocation.id, amount, category, description, expenseDate: input.expenseDate,
      receiptFileId: input.receiptFileId ?? null, status: ExpenseStatus.SUBMITTED, submittedBy: viewer.userId,
    } as Expense);
    await em.flush();
    await recordAudit(ctx, em, {
      action: 'csr.expense.create', resourceType: 'Expense', resourceId: expense.id,
      changes: { projectId: project.id, allocationId: allocation.id, amount, category, expenseDate: input.expenseDate, receiptFileId: input.receiptFileId ?? null },
    });
    return expense;
  });
}

async function lockExpense(em: EntityManager, organizationId: string, id: string) {
  const [row] = await em.execute<{ id: string; status: ExpenseStatus; amount: string; allocation_id: string; project_id: string }[]>(
    'select id, status, amount::text as amount, allocation_id, project_id from csr_expense where id = ? and organization_id = ? for update',
    [assertId('id', id), organizationId],
  );
  if (!row) throw notFound('Expense', 'id');
  return row;
}

/**
 * Approves a submitted expense: in one transaction, the allocation's `spent` grows by the amount
 * only if it stays within `allocated` (one guarded UPDATE, so concurrent approvals cannot
 * overspend together), and the project's actual expenditure grows by the same amount.
 */
export async function approveExpense(ctx: RequestContext, id: string): Promise<Expense> {
  const organizationId = requireTenant(ctx);
  const viewer = requireViewer(ctx);
  return ctx.db.transactional(async (em) => {
    const expense = await lockExpense(em, organizationId, id);
    if (expense.status !== ExpenseStatus.SUBMITTED) throw conflict(`The expense is ${expense.status}; only a submitted expense can be approved`, 'id');
    const [allocation] = await em.execute<{ spent: string; allocated: string }[]>(
      `update csr_budget_allocation set spent = spent + ?::numeric, updated_at = now()
        where id = ? and organization_id = ? and spent + ?::numeric <= allocated
        returning spent::text as spent, allocated::text as allocated`,
      [expense.amount, expense.allocation_id, organizationId, expense.amount],
    );
    if (!allocation) throw new DomainError('CONFLICT', 'Approving this expense would overspend its budget allocation', { field: 'id', reason: 'OVERSPEND' });
    const [project] = await em.execute<{ actual_expenditure: string }[]>(
      `update csr_project set actual_expenditure = actual_expenditure + ?::numeric, updated_at = now()
        where id = ? and organization_id = ? returning actual_expenditure::text as actual_expenditure`,
      [expense.amount, expense.project_id, organizationId],
    );
    const approvedAt = new Date();
    await em.execute(
      `update csr_expense set status = 'approved', approved_by_id = ?, approved_at = ?, updated_at = now() where id = ?`,
      [viewer.userId, approvedAt, expense.id],
    );
    await recordAudit(ctx, em, {
      action: 'csr.expense.approve', resourceType: 'Expense', resourceId: expense.id,
      changes: {
        status: { from: expense.status, to: ExpenseStatus.APPROVED },
        amount: expense.amount,
        allocationSpent: { to: allocation.spent },
        projectActualExpenditure: { to: project.actual_expenditure },
      },
    });
    publishAfterCommit(ctx, ExpenseApproved, organizationId, {
      expenseId: expense.id, projectId: expense.project_id, allocationId: expense.allocation_id, amount: expense.amount,
      allocationSpent: allocation.spent, projectActualExpenditure: project.actual_expenditure, approvedBy: viewer.userId, approvedAt: approvedAt.toISOString(),
    });
    return em.findOneOrFail(Expense, { id: expense.id }, { refresh: true });
  });
}

export async function rejectExpense(ctx: RequestContext, id: string, reason: string): Promise<Expense> {
  const organizationId = requireTenant(ctx);
  const viewer = requireViewer(ctx);
  const why = requiredText('reason', reason, 1000);
  return ctx.db.transactional(async (em) => {
    const expense = await lockExpense(em, organizationId, id);
    if (expense.status !== ExpenseStatus.SUBMITTED) throw conflict(`The expense is ${expense.status}; only a submitted expense can be rejected`, 'id');
    await em.execute(
      `update csr_expense set status = 'rejected', approved_by_id = ?, approved_at = now(), rejection_reason = ?, updated_at = now() where id = ?`,
      [viewer.userId, why, expense.id],
    );
    await recordAudit(ctx, em, { action: 'csr.expense.reject', resourceType: 'Expense', resourceId: expense.id, changes: { status: { from: expense.status, to: ExpenseStatus.REJECTED }, reason: why } });
    return em.findOneOrFail(Expense, { id: expense.id }, { refresh: true });
  });
}

/** Marks an approved expense paid (its amount stays counted as spent). */
export async function markExpensePaid(ctx: RequestContext, id: string): Promise<Expense> {
  const organizationId = requireTenant(ctx);
  return ctx.db.transactional(async (em) => {
    const expense = await lockExpense(em, organizationId, id);
    if (expense.status !== ExpenseStatus.APPROVED) throw conflict(`The expense is ${expense.status}; only an approved expense can be paid`, 'id');
    await em.execute(`update csr_expense set status = 'paid', paid_at = now(), updated_at = now() where id = ?`, [expense.id]);
    await recordAudit(ctx, em, { action: 'csr.expense.pay', resourceType: 'Expense', resourceId: expense.id, changes: { status: { from: expense.status, to: ExpenseStatus.PAID } } });
    return em.findOneOrFail(Expense, { id: expense.id }, { refresh: true });
  });
}

export async function getExpense(ctx: RequestContext, id: string): Promise<Expense> {
  requireTenant(ctx);
  const expense = await ctx.loaders.byId<Expense>(Expense, assertId('id', id));
  if (!expense) throw notFound('Expense', 'id');
  return expense;
}

export function listExpenses(ctx: RequestContext, args: ListArgs & { search?: string | null }) {
  requireTenant(ctx);
  const search = args.search?.trim();
  return buildConnection<Expense>(ctx.db, Expense, {
    filter: args.filter,
    orderBy: args.orderBy ?? [{ field: 'createdAt', direction: 'DESC' }],
    first: args.first,
    after: args.after,
    select: args.select,
    where: search
      ? (qb) => {
          const term = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
          qb.where((b) => b.whereILike('category', term).orWhereILike('description', term));
        }
      : undefined,
  });
}

// ---- Disbursements ----

export const DISBURSEMENT_TRANSITIONS: Record<DisbursementStatus, DisbursementStatus[]> = {
  [DisbursementStatus.PENDING]: [DisbursementStatus.RELEASED, DisbursementStatus.CANCELLED],
  [DisbursementStatus.RELEASED]: [],
  [DisbursementStatus.CANCELLED]: [],
};

export async function createDisbursement(
  ctx: RequestContext,
  input: { partnerId: string; projectId?: string | null; amount: string; reference?: string | null; scheduledDate?: string | null },
): Promise<Disbursement> {
  requireTenant(ctx);
  const viewer = requireViewer(ctx);
  const amount = positiveMoney('amount', input.amount);
  const reference = optionalText('reference', input.reference, 200);
  return ctx.db.transactional(async (em) => {
    const partner = await em.findOne(Partner, { id: assertId('partnerId', input.partnerId) });
    if (!partner) throw notFound('Partner', 'partnerId');
    if (partner.type !== 'recipient_partner') throw badInput('partnerId', 'Funds are disbursed to recipient partners only');
    if (input.projectId) {
      const project = await em.findOne(Project, { id: assertId('projectId', input.projectId) });
      if (!project) throw notFound('Project', 'projectId');
      if (project.partnerId !== partner.id) throw badInput('projectId', 'The project is not run by this partner');
    }
    const d = em.create(Disbursement, {
      partnerId: partner.id, projectId: input.projectId ?? null, amount, reference, scheduledDate: input.scheduledDate ?? null,
      status: DisbursementStatus.PENDING, createdBy: viewer.userId,
    } as Disbursement);
    await em.flush();
    await recordAudit(ctx, em, { action: 'csr.disbursement.create', resourceType: 'Disbursement', resourceId: d.id, changes: { partnerId: partner.id, projectId: input.projectId ?? null, amount, reference } });
    return d;
  });
}

/** Releases (with the payment reference) or cancels a pending disbursement. */
export async function changeDisbursementStatus(ctx: RequestContext, id: string, status: DisbursementStatus, reference?: string | null): Promise<Disbursement> {
  requireTenant(ctx);
  const ref = optionalText('reference', reference, 200);
  return ctx.db.transactional(async (em) => {
    const d = await em.findOne(Disbursement, { id: assertId('id', id) }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!d) throw notFound('Disbursement', 'id');
    const from = d.status;
    if (!DISBURSEMENT_TRANSITIONS[from].includes(status)) {
      throw new DomainError('CONFLICT', `A ${from} disbursement cannot become ${status}`, { field: 'status', reason: 'ILLEGAL_TRANSITION', from, to: status });
    }
    if (ref !== undefined) d.reference = ref;
    if (status === DisbursementStatus.RELEASED) {
      if (!d.reference) throw badInput('reference', 'A released disbursement needs its payment reference');
      d.releasedAt = new Date();
    }
    d.status = status;
    await em.flush();
    await recordAudit(ctx, em, { action: 'csr.disbursement.status_change', resourceType: 'Disbursement', resourceId: id, changes: { status: { from, to: status }, reference: d.reference } });
    return d;
  });
}

export function listDisbursements(ctx: RequestContext, args: ListArgs) {
  requireTenant(ctx);
  return buildConnection<Disbursement>(ctx.db, Disbursement, { filter: args.filter, orderBy: args.orderBy ?? [{ field: 'createdAt', direction: 'DESC' }], first: args.first, after: args.after, select: args.select });
}

