import { ArgsType, Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Budget, BudgetAllocation, Disbursement, DisbursementStatus, Expense, ExpenseStatus } from '../../entities/csr/budget.entity';
import { Partner, PartnerType } from '../../entities/csr/partner.entity';
import { Milestone, MilestoneStatus, Project, ProjectStatus, Sector } from '../../entities/csr/project.entity';
import { Kpi, QuestionType, Survey, SurveyResponse, SurveyStatus } from '../../entities/csr/survey.entity';
import { BooleanFilter, CalendarDateFilter, Connection, DateTimeFilter, DecimalFilter, EnumFilter, IdFilter, IntFilter, OrderDirection, PageArgs, StringFilter } from '../../schema/common';
import { DateScalar, DecimalScalar } from '../../schema/scalars';

export const PartnerConnection = Connection(Partner);
export const ProjectConnection = Connection(Project);
export const MilestoneConnection = Connection(Milestone);
export const BudgetConnection = Connection(Budget);
export const ExpenseConnection = Connection(Expense);
export const DisbursementConnection = Connection(Disbursement);
export const SurveyConnection = Connection(Survey);
export const SurveyResponseConnection = Connection(SurveyResponse);
export const KpiConnection = Connection(Kpi);

const PartnerTypeFilter = EnumFilter(PartnerType, 'PartnerType');
const SectorFilter = EnumFilter(Sector, 'Sector');
const ProjectStatusFilter = EnumFilter(ProjectStatus, 'ProjectStatus');
const MilestoneStatusFilter = EnumFilter(MilestoneStatus, 'MilestoneStatus');
const ExpenseStatusFilter = EnumFilter(ExpenseStatus, 'ExpenseStatus');
const DisbursementStatusFilter = EnumFilter(DisbursementStatus, 'DisbursementStatus');
const SurveyStatusFilter = EnumFilter(SurveyStatus, 'SurveyStatus');

type E<T> = { eq?: T; ne?: T; in?: T[] };

/** One order input per entity: `{ field, direction }`. */
function order<T extends Record<string, string>>(name: string, fields: T) {
  registerEnumType(fields, { name: `${name}OrderField` });
  @InputType(`${name}Order`)
  class OrderInput {
    @Field(() => fields) field!: T[keyof T];
    @Field(() => OrderDirection, { defaultValue: OrderDirection.ASC }) direction!: OrderDirection;
  }
  return OrderInput;
}

// ---- Partners ----
@InputType()
export class PartnerFilter {
  @Field(() => StringFilter, { nullable: true }) name?: StringFilter;
  @Field(() => PartnerTypeFilter, { nullable: true }) type?: E<PartnerType>;
  @Field(() => BooleanFilter, { nullable: true }) mouSigned?: BooleanFilter;
  @Field(() => BooleanFilter, { nullable: true }) active?: BooleanFilter;
  @Field(() => [PartnerFilter], { nullable: true }) and?: PartnerFilter[];
  @Field(() => [PartnerFilter], { nullable: true }) or?: PartnerFilter[];
}
export const PartnerOrder = order('Partner', { NAME: 'name', CREATED_AT: 'createdAt', TYPE: 'type' });
@ArgsType()
export class PartnersArgs extends PageArgs {
  @Field(() => PartnerFilter, { nullable: true }) filter?: PartnerFilter;
  @Field(() => [PartnerOrder], { nullable: true }) orderBy?: InstanceType<typeof PartnerOrder>[];
  @Field(() => String, { nullable: true, description: 'Case-insensitive search in name and contact' }) search?: string;
}

@InputType()
export class CreatePartnerInput {
  @Field() name!: string;
  @Field(() => PartnerType) type!: PartnerType;
  @Field(() => String, { nullable: true }) contactName?: string | null;
  @Field(() => String, { nullable: true }) contactEmail?: string | null;
  @Field(() => String, { nullable: true }) contactPhone?: string | null;
  @Field(() => String, { nullable: true }) address?: string | null;
  @Field(() => Boolean, { nullable: true }) mouSigned?: boolean | null;
  @Field(() => DateScalar, { nullable: true }) mouDate?: string | null;
}

@InputType()
export class UpdatePartnerInput {
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => PartnerType, { nullable: true }) type?: PartnerType | null;
  @Field(() => String, { nullable: true }) contactName?: string | null;
  @Field(() => String, { nullable: true }) contactEmail?: string | null;
  @Field(() => String, { nullable: true }) contactPhone?: string | null;
  @Field(() => String, { nullable: true }) address?: string | null;
  @Field(() => Boolean, { nullable: true }) mouSigned?: boolean | null;
  @Field(() => DateScalar, { nullable: true }) mouDate?: string | null;
  @Field(() => Boolean, { nullable: true }) active?: boolean | null;
}

// ---- Projects and milestones ----
@InputType()
export class ProjectFilter {
  @Field(() => StringFilter, { nullable: true }) title?: StringFilter;
  @Field(() => SectorFilter, { nullable: true }) sector?: E<Sector>;
  @Field(() => ProjectStatusFilter, { nullable: true }) status?: E<ProjectStatus>;
  @Field(() => IdFilter, { nullable: true }) partnerId?: IdFilter;
  @Field(() => CalendarDateFilter, { nullable: true }) startDate?: CalendarDateFilter;
  @Field(() => CalendarDateFilter, { nullable: true }) endDate?: CalendarDateFilter;
  @Field(() => DecimalFilter, { nullable: true }) estimatedBudget?: DecimalFilter;
  @Field(() => DecimalFilter, { nullable: true }) actualExpenditure?: DecimalFilter;
  @Field(() => DateTimeFilter, { nullable: true }) createdAt?: DateTimeFilter;
  @Field(() => [ProjectFilter], { nullable: true }) and?: ProjectFilter[];
  @Field(() => [ProjectFilter], { nullable: true }) or?: ProjectFilter[];
}
export const ProjectOrder = order('Project', {
  CREATED_AT: 'createdAt', TITLE: 'title', STATUS: 'status', SECTOR: 'sector', START_DATE: 'startDate', END_DATE: 'endDate',
  ESTIMATED_BUDGET: 'estimatedBudget', ACTUAL_EXPENDITURE: 'actualExpenditure',
});
@ArgsType()
export class ProjectsArgs extends PageArgs {
  @Field(() => ProjectFilter, { nullable: true }) filter?: ProjectFilter;
  @Field(() => [ProjectOrder], { nullable: true }) orderBy?: InstanceType<typeof ProjectOrder>[];
  @Field(() => String, { nullable: true, description: 'Case-insensitive search in title and description' }) search?: string;
}

@InputType()
export class CreateProjectInput {
  @Field() title!: string;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => Sector) sector!: Sector;
  @Field(() => DateScalar, { nullable: true }) startDate?: string | null;
  @Field(() => DateScalar, { nullable: true }) endDate?: string | null;
  @Field(() => DecimalScalar, { nullable: true }) estimatedBudget?: string | null;
  @Field(() => ID, { nullable: true, description: 'The recipient partner running the project' }) partnerId?: string | null;
}

@InputType()
export class UpdateProjectInput {
  @Field(() => String, { nullable: true }) title?: string | null;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => Sector, { nullable: true }) sector?: Sector | null;
  @Field(() => DateScalar, { nullable: true }) startDate?: string | null;
  @Field(() => DateScalar, { nullable: true }) endDate?: string | null;
  @Field(() => DecimalScalar, { nullable: true }) estimatedBudget?: string | null;
  @Field(() => ID, { nullable: true }) partnerId?: string | null;
}

@InputType()
export class MilestoneFilter {
  @Field(() => IdFilter, { nullable: true }) projectId?: IdFilter;
  @Field(() => StringFilter, { nullable: true }) title?: StringFilter;
  @Field(() => MilestoneStatusFilter, { nullable: true }) status?: E<MilestoneStatus>;
  @Field(() => CalendarDateFilter, { nullable: true }) dueDate?: CalendarDateFilter;
  @Field(() => IntFilter, { nullable: true }) completionPercentage?: IntFilter;
  @Field(() => [MilestoneFilter], { nullable: true }) and?: MilestoneFilter[];
  @Field(() => [MilestoneFilter], { nullable: true }) or?: MilestoneFilter[];
}
export const MilestoneOrder = order('Milestone', { DUE_DATE: 'dueDate', CREATED_AT: 'createdAt', TITLE: 'title', COMPLETION_PERCENTAGE: 'completionPercentage', STATUS: 'status' });
@ArgsType()
export class MilestonesArgs extends PageArgs {
  @Field(() => MilestoneFilter, { nullable: true }) filter?: MilestoneFilter;
  @Field(() => [MilestoneOrder], { nullable: true }) orderBy?: InstanceType<typeof MilestoneOrder>[];
  @Field(() => String, { nullable: true, description: 'Case-insensitive search in title and notes' }) search?: string;
}

@InputType()
export class CreateMilestoneInput {
  @Field(() => ID) projectId!: string;
  @Field() title!: string;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => DateScalar, { nullable: true }) dueDate?: string | null;
  @Field(() => String, { nullable: true }) notes?: string | null;
}

@InputType()
export class UpdateMilestoneInput {
  @Field(() => String, { nullable: true }) title?: string | null;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => DateScalar, { nullable: true }) dueDate?: string | null;
  @Field(() => String, { nullable: true }) notes?: string | null;
}

// ---- Budgets, expenses, disbursements ----
@InputType()
export class BudgetFilter {
  @Field(() => IntFilter, { nullable: true }) financialYear?: IntFilter;
}
@ArgsType()
export class BudgetsArgs extends PageArgs {
  @Field(() => BudgetFilter, { nullable: true }) filter?: BudgetFilter;
}

@InputType()
export class CreateBudgetInput {
  @Field(() => Int) financialYear!: number;
  @Field(() => DecimalScalar) total!: string;
}

@InputType()
export class SetBudgetAllocationInput {
  @Field(() => ID) budgetId!: string;
  @Field(() => Sector) sector!: Sector;
  @Field(() => DecimalScalar) allocated!: string;
}

@InputType()
export class ExpenseFilter {
  @Field(() => IdFilter, { nullable: true }) projectId?: IdFilter;
  @Field(() => IdFilter, { nullable: true }) allocationId?: IdFilter;
  @Field(() => ExpenseStatusFilter, { nullable: true }) status?: E<ExpenseStatus>;
  @Field(() => StringFilter, { nullable: true }) category?: StringFilter;
  @Field(() => DecimalFilter, { nullable: true }) amount?: DecimalFilter;
  @Field(() => CalendarDateFilter, { nullable: true }) expenseDate?: CalendarDateFilter;
  @Field(() => [ExpenseFilter], { nullable: true }) and?: ExpenseFilter[];
  @Field(() => [ExpenseFilter], { nullable: true }) or?: ExpenseFilter[];
}
export const ExpenseOrder = order('Expense', { CREATED_AT: 'createdAt', AMOUNT: 'amount', EXPENSE_DATE: 'expenseDate', STATUS: 'status' });
@ArgsType()
export class ExpensesArgs extends PageArgs {
  @Field(() => ExpenseFilter, { nullable: true }) filter?: ExpenseFilter;
  @Field(() => [ExpenseOrder], { nullable: true }) orderBy?: InstanceType<typeof ExpenseOrder>[];
  @Field(() => String, { nullable: true, description: 'Case-insensitive search in category and description' }) search?: string;
}

@InputType()
export class CreateExpenseInput {
  @Field(() => ID) projectId!: string;
  @Field(() => ID, { description: 'The allocation of the project’s sector to charge' }) allocationId!: string;
  @Field(() => DecimalScalar) amount!: string;
  @Field() category!: string;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => DateScalar) expenseDate!: string;
  @Field(() => ID, { nullable: true, description: 'A ready uploaded file (createUpload)' }) receiptFileId?: string | null;
}

@InputType()
export class DisbursementFilter {
  @Field(() => IdFilter, { nullable: true }) partnerId?: IdFilter;
  @Field(() => IdFilter, { nullable: true }) projectId?: IdFilter;
  @Field(() => DisbursementStatusFilter, { nullable: true }) status?: E<DisbursementStatus>;
}
@ArgsType()
export class DisbursementsArgs extends PageArgs {
  @Field(() => DisbursementFilter, { nullable: true }) filter?: DisbursementFilter;
}

@InputType()
export class CreateDisbursementInput {
  @Field(() => ID) partnerId!: string;
  @Field(() => ID, { nullable: true }) projectId?: string | null;
  @Field(() => DecimalScalar) amount!: string;
  @Field(() => String, { nullable: true }) reference?: string | null;
  @Field(() => DateScalar, { nullable: true }) scheduledDate?: string | null;
}

// ---- Surveys and KPIs ----
@InputType()
export class SurveyFilter {
  @Field(() => IdFilter, { nullable: true }) projectId?: IdFilter;
  @Field(() => SurveyStatusFilter, { nullable: true }) status?: E<SurveyStatus>;
  @Field(() => StringFilter, { nullable: true }) title?: StringFilter;
}
@ArgsType()
export class SurveysArgs extends PageArgs {
  @Field(() => SurveyFilter, { nullable: true }) filter?: SurveyFilter;
}

@InputType()
export class SurveyQuestionInput {
  @Field() key!: string;
  @Field() label!: string;
  @Field(() => QuestionType) type!: QuestionType;
  @Field(() => Boolean, { nullable: true }) required?: boolean | null;
  @Field(() => [String], { nullable: true }) options?: string[] | null;
}

@InputType()
export class CreateSurveyInput {
  @Field(() => ID) projectId!: string;
  @Field() title!: string;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => [SurveyQuestionInput]) questions!: SurveyQuestionInput[];
}

@InputType()
export class SubmitSurveyResponseInput {
  @Field(() => ID) surveyId!: string;
  @Field(() => GraphQLJSONObject, { description: 'Answers by question key' }) answers!: Record<string, unknown>;
}

@InputType()
export class KpiFilter {
  @Field(() => IdFilter, { nullable: true }) projectId?: IdFilter;
  @Field(() => StringFilter, { nullable: true }) name?: StringFilter;
}
@ArgsType()
export class KpisArgs extends PageArgs {
  @Field(() => KpiFilter, { nullable: true }) filter?: KpiFilter;
}

@InputType()
export class CreateKpiInput {
  @Field(() => ID) projectId!: string;
  @Field() name!: string;
  @Field() unit!: string;
  @Field(() => DecimalScalar) baseline!: string;
  @Field(() => DecimalScalar) target!: string;
}

@InputType()
export class RecordKpiMeasurementInput {
  @Field(() => ID) kpiId!: string;
  @Field(() => DecimalScalar) value!: string;
  @Field(() => DateScalar) measuredOn!: string;
  @Field(() => String, { nullable: true }) note?: string | null;
}

// ---- Dashboard ----
@ObjectType({ simpleResolvers: true })
export class CsrCount {
  @Field() key!: string;
  @Field(() => Int) count!: number;
}

@ObjectType({ simpleResolvers: true })
export class SectorBudgetUse {
  @Field(() => Int) financialYear!: number;
  @Field(() => Sector) sector!: Sector;
  @Field(() => DecimalScalar) allocated!: string;
  @Field(() => DecimalScalar) spent!: string;
  @Field(() => DecimalScalar) remaining!: string;
  @Field(() => Float, { description: 'spent / allocated in percent (two decimals)' }) utilisation!: number;
}

@ObjectType({ simpleResolvers: true })
export class DashboardMilestone {
  @Field(() => ID) id!: string;
  @Field(() => ID) projectId!: string;
  @Field(() => String, { nullable: true }) projectTitle?: string;
  @Field() title!: string;
  @Field(() => DateScalar, { nullable: true }) dueDate!: string | null;
  @Field(() => MilestoneStatus, { nullable: true }) status?: MilestoneStatus;
  @Field(() => Int) completionPercentage!: number;
}

@ObjectType({ simpleResolvers: true })
export class ManagerDashboard {
  @Field(() => [CsrCount]) projectsByStatus!: CsrCount[];
  @Field(() => [CsrCount]) projectsBySector!: CsrCount[];
  @Field(() => [SectorBudgetUse], { description: 'Of the requested financial year (default: the latest budget)' }) budgetUtilisation!: SectorBudgetUse[];
  @Field(() => Int) overdueMilestoneCount!: number;
  @Field(() => [DashboardMilestone], { description: 'The ten most overdue' }) overdueMilestones!: DashboardMilestone[];
}

@ObjectType({ simpleResolvers: true })
export class FinanceDashboard {
  @Field(() => [SectorBudgetUse], { description: 'By year and sector (one year if requested)' }) allocations!: SectorBudgetUse[];
  @Field(() => Int) pendingExpenseCount!: number;
  @Field(() => DecimalScalar) pendingExpenseTotal!: string;
}

@ObjectType({ simpleResolvers: true })
export class KpiProgress {
  @Field(() => ID) kpiId!: string;
  @Field(() => ID) projectId!: string;
  @Field() name!: string;
  @Field() unit!: string;
  @Field(() => DecimalScalar) baseline!: string;
  @Field(() => DecimalScalar) target!: string;
  @Field(() => DecimalScalar) current!: string;
  @Field(() => Float, { description: 'Progress from baseline toward target, 0–100' }) progress!: number;
}

@ObjectType({ simpleResolvers: true })
export class SurveyResponseRate {
  @Field(() => ID) surveyId!: string;
  @Field(() => ID) projectId!: string;
  @Field() title!: string;
  @Field(() => SurveyStatus) status!: SurveyStatus;
  @Field(() => Int) responses!: number;
  @Field(() => Int) respondents!: number;
  @Field(() => Int, { description: 'Users linked to the project’s partner' }) expectedRespondents!: number;
  @Field(() => Float, { nullable: true, description: 'respondents / expected in percent; null without expected respondents' }) responseRate!: number | null;
}

@ObjectType({ simpleResolvers: true })
export class MeDashboard {
  @Field(() => [KpiProgress]) kpis!: KpiProgress[];
  @Field(() => [SurveyResponseRate]) surveys!: SurveyResponseRate[];
}

@ObjectType({ simpleResolvers: true })
export class RecipientProjectSummary {
  @Field(() => ID) id!: string;
  @Field() title!: string;
  @Field(() => ProjectStatus) status!: ProjectStatus;
  @Field(() => Sector) sector!: Sector;
  @Field(() => Int) milestones!: number;
  @Field(() => Float) averageCompletion!: number;
}

@ObjectType({ simpleResolvers: true })
export class RecipientDashboard {
  @Field(() => [RecipientProjectSummary]) projects!: RecipientProjectSummary[];
  @Field(() => [DashboardMilestone], { description: 'Open milestones, soonest due first (ten)' }) nextMilestones!: DashboardMilestone[];
}

@ObjectType({ simpleResolvers: true, description: 'CSR figures per role; a section is null when the caller’s permissions do not reach it' })
export class CsrDashboard {
  @Field(() => ManagerDashboard, { nullable: true }) manager!: ManagerDashboard | null;
  @Field(() => FinanceDashboard, { nullable: true }) finance!: FinanceDashboard | null;
  @Field(() => MeDashboard, { nullable: true }) me!: MeDashboard | null;
  @Field(() => RecipientDashboard, { nullable: true }) recipient!: RecipientDashboard | null;
}

@ObjectType({ simpleResolvers: true, description: 'A milestone change (milestoneUpdated)' })
export class MilestoneUpdate {
  @Field(() => ID) projectId!: string;
  @Field(() => ID) milestoneId!: string;
  @Field(() => MilestoneStatus) status!: MilestoneStatus;
  @Field(() => Int) completionPercentage!: number;
}

@ObjectType({ simpleResolvers: true, description: 'An approved expense and the totals it moved (expenseApproved)' })
export class ExpenseApproval {
  @Field(() => ID) expenseId!: string;
  @Field(() => ID) projectId!: string;
  @Field(() => ID) allocationId!: string;
  @Field(() => DecimalScalar) amount!: string;
  @Field(() => DecimalScalar) allocationSpent!: string;
  @Field(() => DecimalScalar) projectActualExpenditure!: string;
  @Field(() => ID) approvedBy!: string;
  @Field() approvedAt!: Date;
}

export { BudgetAllocation };
