export {
  createPartner, updatePartner, getPartner, partnerById, listPartners, linkPartnerMember, unlinkPartnerMember, listPartnerMembers,
} from './partner.service';
export type { PartnerInput } from './partner.service';
export {
  PROJECT_TRANSITIONS, getProject, listProjects, createProject, updateProject, changeProjectStatus,
  createMilestone, updateMilestone, updateMilestoneProgress, approveMilestone, getMilestone, projectMilestones, listMilestones, markOverdueMilestones,
} from './project.service';
export type { ProjectInput, MilestoneInput } from './project.service';
export {
  createBudget, updateBudgetTotal, setBudgetAllocation, getBudget, listBudgets, budgetAllocations, allocationById,
  createExpense, approveExpense, rejectExpense, markExpensePaid, getExpense, listExpenses,
  createDisbursement, changeDisbursementStatus, listDisbursements,
} from './budget.service';
export type { ExpenseInput } from './budget.service';
export {
  createSurvey, changeSurveyStatus, submitSurveyResponse, getSurvey, listSurveys, listSurveyResponses, validateAnswers,
  kpiProgress, createKpi, recordKpiMeasurement, getKpi, listKpis, kpiMeasurements,
} from './survey.service';
export type { QuestionInput } from './survey.service';
export { csrDashboard } from './dashboard.service';
export type { CsrDashboardData } from './dashboard.service';
export { subscribeMilestoneUpdated, subscribeExpenseApproved } from './csr.subscriptions';
export type { MilestoneUpdatedEvent, ExpenseApprovedEvent } from './csr.events';
export { seedCsrDemo } from './csr.seed';
export { projectScope, inScope, viewerPartnerIds } from './csr.scope';
export type { ProjectScope } from './csr.scope';
