import { BudgetResolver, DisbursementResolver, ExpenseResolver } from './budget.resolver';
import { PartnerResolver } from './partner.resolver';
import { MilestoneResolver, ProjectResolver } from './project.resolver';
import { KpiResolver, SurveyResolver } from './survey.resolver';

export { csrRules } from './csr.rules';
export const csrResolvers = [PartnerResolver, ProjectResolver, MilestoneResolver, BudgetResolver, ExpenseResolver, DisbursementResolver, SurveyResolver, KpiResolver] as const;
