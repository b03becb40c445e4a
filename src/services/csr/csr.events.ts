/** Subscription events of the CSR domain (JSON payloads, tenant topics). */
import { defineEvent } from '../../core/pubsub';

export interface MilestoneUpdatedEvent {
  projectId: string;
  milestoneId: string;
  status: string;
  completionPercentage: number;
  /** The project's recipient partner, for the `own` scope check of each subscriber. */
  partnerId: string | null;
}

export interface ExpenseApprovedEvent {
  expenseId: string;
  projectId: string;
  allocationId: string;
  amount: string;
  allocationSpent: string;
  projectActualExpenditure: string;
  approvedBy: string;
  approvedAt: string;
}

export const MilestoneUpdated = defineEvent<MilestoneUpdatedEvent>('csr.milestoneUpdated');
export const ExpenseApproved = defineEvent<ExpenseApprovedEvent>('csr.expenseApproved');
