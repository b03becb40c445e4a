import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Subscription } from 'type-graphql';
import type { RequestContext } from '../../core/context/request-context';
import type { FilterInput, OrderSpec } from '../../core/orm/connection';
import { Budget, BudgetAllocation, Disbursement, DisbursementStatus, Expense } from '../../entities/csr/budget.entity';
import * as csr from '../../services/csr';
import type { ExpenseApprovedEvent } from '../../services/csr';
import {
  BudgetConnection, BudgetsArgs, CreateBudgetInput, CreateDisbursementInput, CreateExpenseInput, DisbursementConnection, DisbursementsArgs,
  ExpenseApproval, ExpenseConnection, ExpensesArgs, SetBudgetAllocationInput,
} from './csr.types';
import { DecimalScalar } from '../../schema/scalars';
import { Parent } from '../../schema/common';
import { Loads, Selected, SelectedNodes, type FieldSelection } from '../../schema/selection';
import type { Loaded } from '../../core/orm/loaders';

@Resolver(() => Budget)
export class BudgetResolver {
  @Query(() => Budget)
  budget(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Budget> {
    return csr.getBudget(ctx, id);
  }

  @Query(() => BudgetConnection, { description: 'Budgets, latest financial year first' })
  budgets(@Args() args: BudgetsArgs, @SelectedNodes(Budget) select: FieldSelection, @Ctx() ctx: RequestContext) {
    return csr.listBudgets(ctx, { ...args, filter: args.filter as FilterInput | undefined, select });
  }

  @FieldResolver(() => [BudgetAllocation])
  @Loads(() => BudgetAllocation, { manyBy: 'budgetId' })
  allocations(@Parent('id') budget: Budget, @Selected() fields: FieldSelection, @Ctx() ctx: RequestContext): Loaded<BudgetAllocation[]> {
    return csr.budgetAllocations(ctx, budget.id, fields);
  }

  @Mutation(() => Budget)
  createBudget(@Arg('input') input: CreateBudgetInput, @Ctx() ctx: RequestContext): Promise<Budget> {
    return csr.createBudget(ctx, input);
  }

  @Mutation(() => Budget, { description: 'Changes the total; never below what is allocated' })
  updateBudgetTotal(@Arg('id', () => ID) id: string, @Arg('total', () => DecimalScalar) total: string, @Ctx() ctx: RequestContext): Promise<Budget> {
    return csr.updateBudgetTotal(ctx, id, total);
  }

  @Mutation(() => BudgetAllocation, { description: 'Sets a sector’s allocation; all allocations together stay within the budget total' })
  setBudgetAllocation(@Arg('input') input: SetBudgetAllocationInput, @Ctx() ctx: RequestContext): Promise<BudgetAllocation> {
    return csr.setBudgetAllocation(ctx, input);
  }
}

@Resolver(() => Expense)
export class ExpenseResolver {
  @Query(() => Expense)
  expense(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Expense> {
    return csr.getExpense(ctx, id);
  }

  @Query(() => ExpenseConnection, { description: 'Expenses, newest first unless ordered otherwise' })
  expenses(@Args() args: ExpensesArgs, @SelectedNodes(Expense) select: FieldSelection, @Ctx() ctx: RequestContext) {
    return csr.listExpenses(ctx, { ...args, filter: args.filter as FilterInput | undefined, orderBy: args.orderBy as OrderSpec[] | undefined, select });
  }

  @FieldResolver(() => BudgetAllocation, { nullable: true })
  @Loads(() => BudgetAllocation, { byId: 'allocationId' })
  allocation(@Parent('allocationId') expense: Expense, @Selected() fields: FieldSelection, @Ctx() ctx: RequestContext): Loaded<BudgetAllocation | null> {
    return csr.allocationById(ctx, expense.allocationId, fields);
  }

  @Mutation(() => Expense, { description: 'Submits an expense of a project against its sector’s allocation' })
  createExpense(@Arg('input') input: CreateExpenseInput, @Ctx() ctx: RequestContext): Promise<Expense> {
    return csr.createExpense(ctx, input);
  }

  @Mutation(() => Expense, { description: 'Approves a submitted expense; refused (CONFLICT) if it would overspend its allocation' })
  approveExpense(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Expense> {
    return csr.approveExpense(ctx, id);
  }

  @Mutation(() => Expense)
  rejectExpense(@Arg('id', () => ID) id: string, @Arg('reason') reason: string, @Ctx() ctx: RequestContext): Promise<Expense> {
    return csr.rejectExpense(ctx, id, reason);
  }

  @Mutation(() => Expense)
  markExpensePaid(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Expense> {
    return csr.markExpensePaid(ctx, id);
  }

  @Subscription(() => ExpenseApproval, {
    description: 'Expenses approved in the organization, optionally of one project',
    subscribe: ({ args, context }) => csr.subscribeExpenseApproved(context as RequestContext, (args as { projectId?: string }).projectId),
  })
  expenseApproved(@Arg('projectId', () => ID, { nullable: true }) _projectId: string | null, @Parent() event: ExpenseApprovedEvent): ExpenseApproval {
    return { ...event, approvedAt: new Date(event.approvedAt) };
  }
}

@Resolver(() => Disbursement)
export class DisbursementResolver {
  @Query(() => DisbursementConnection, { description: 'Disbursements, newest first' })
  disbursements(@Args() args: DisbursementsArgs, @SelectedNodes(Disbursement) select: FieldSelection, @Ctx() ctx: RequestContext) {
    return csr.listDisbursements(ctx, { ...args, filter: args.filter as FilterInput | undefined, select });
  }

  @Mutation(() => Disbursement)
  createDisbursement(@Arg('input') input: CreateDisbursementInput, @Ctx() ctx: RequestContext): Promise<Disbursement> {
    return csr.createDisbursement(ctx, input);
  }

  @Mutation(() => Disbursement, { description: 'pending → released (with its payment reference) | cancelled' })
  changeDisbursementStatus(
    @Arg('id', () => ID) id: string,
    @Arg('status', () => DisbursementStatus) status: DisbursementStatus,
    @Arg('reference', () => String, { nullable: true }) reference: string | null | undefined,
    @Ctx() ctx: RequestContext,
  ): Promise<Disbursement> {
    return csr.changeDisbursementStatus(ctx, id, status, reference);
  }
}
