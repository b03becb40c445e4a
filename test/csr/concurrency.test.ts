/**
 * 50 concurrent approveExpense mutations on one allocation that can fund only some of them:
 * the allocation's spent and the project's actual expenditure end exactly at the sum of the
 * approved expenses, and the rest are refused as overspending.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import Decimal from 'decimal.js';
import { startTestApi, errorCode, type TestApi } from '../support/api';
import {
  CsrApproveExpenseDocument, CsrCreateBudgetDocument, CsrCreateExpenseDocument, CsrCreateProjectDocument, CsrProjectDocument, CsrSetBudgetAllocationDocument,
} from '../__generated__/graphql';

let api: TestApi;
before(async () => {
  api = await startTestApi();
});
after(() => api.close());

test('50 concurrent approvals leave allocation.spent and project.actualExpenditure equal to the approved sum', async () => {
  const manager = await api.login('csr_manager');
  const finance = await api.login('finance_officer');
  const budget = (await api.gql(CsrCreateBudgetDocument, { input: { financialYear: 2040, total: '100000.00' } }, finance)).data!.createBudget;
  const allocation = (await api.gql(CsrSetBudgetAllocationDocument, { input: { budgetId: budget.id, sector: 'INFRASTRUCTURE', allocated: '1000.00' } }, finance)).data!.setBudgetAllocation;
  const project = (await api.gql(CsrCreateProjectDocument, { input: { title: 'Bridges', sector: 'INFRASTRUCTURE' } }, manager)).data!.createProject;
  // Amounts 30.01, 30.02, ... 30.50: together 1512.75, far above the 1000.00 allocated.
  const amounts = Array.from({ length: 50 }, (_, i) => new Decimal(30).plus(new Decimal(i + 1).div(100)).toFixed(2));
  const expenses: { id: string; amount: string }[] = [];
  for (const amount of amounts) {
    const res = await api.gql(CsrCreateExpenseDocument, { input: { projectId: project.id, allocationId: allocation.id, amount, category: 'steel', expenseDate: '2026-09-01' } }, finance);
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    expenses.push({ id: res.data!.createExpense.id, amount });
  }

  const results = await Promise.all(expenses.map((e) => api.gql(CsrApproveExpenseDocument, { id: e.id }, finance)));

  const approved = expenses.filter((_, i) => results[i].data?.approveExpense.status === 'APPROVED');
  const refused = results.filter((r) => r.errors);
  assert.equal(approved.length + refused.length, 50);
  for (const r of refused) {
    assert.equal(errorCode(r), 'CONFLICT');
    assert.equal(r.errors![0].extensions!.reason, 'OVERSPEND');
  }
  assert.ok(approved.length >= 30 && approved.length <= 33, `${approved.length} approved`);
  const approvedSum = approved.reduce((sum, e) => sum.plus(e.amount), new Decimal(0));
  assert.ok(approvedSum.lte(1000));
  // Every refused one would have overspent what was left once all approvals were in.
  const smallestRefused = expenses.filter((_, i) => results[i].errors).reduce((min, e) => Decimal.min(min, e.amount), new Decimal(Infinity));
  assert.ok(approvedSum.plus(smallestRefused).gt(1000));

  const [alloc] = await api.sql<{ spent: string }>(`select spent::text as spent from csr_budget_allocation where id = $1`, [allocation.id]);
  assert.equal(new Decimal(alloc.spent).toFixed(2), approvedSum.toFixed(2));
  const p = (await api.gql(CsrProjectDocument, { id: project.id }, manager)).data!.project;
  assert.equal(new Decimal(p.actualExpenditure).toFixed(2), approvedSum.toFixed(2));
  const [{ sum, count }] = await api.sql<{ sum: string; count: string }>(
    `select coalesce(sum(amount), 0)::text as sum, count(*) as count from csr_expense where project_id = $1 and status = 'approved'`,
    [project.id],
  );
  assert.equal(Number(count), approved.length);
  assert.equal(new Decimal(sum).toFixed(2), approvedSum.toFixed(2));
  const [{ audits }] = await api.sql<{ audits: string }>(`select count(*) as audits from audit_log where action = 'csr.expense.approve' and resource_id = any($1::text[])`, [approved.map((e) => e.id)]);
  assert.equal(Number(audits), approved.length);
});
