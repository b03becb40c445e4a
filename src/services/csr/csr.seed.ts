/**
 * CSR demo data for one organization (called by src/seed.ts inside that organization): partners
 * (one recipient partner linked to the recipient user), a budget with sector allocations, three
 * projects with milestones, expenses whose approved amounts are already counted in the totals,
 * a disbursement, an open survey with a response, and KPIs. Small on purpose (test template).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { Budget, BudgetAllocation, Disbursement, DisbursementStatus, Expense, ExpenseStatus } from '../../entities/csr/budget.entity';
import { Partner, PartnerMember, PartnerType } from '../../entities/csr/partner.entity';
import { Milestone, MilestoneStatus, Project, ProjectStatus, Sector } from '../../entities/csr/project.entity';
import { Kpi, KpiMeasurement, QuestionType, Survey, SurveyResponse, SurveyStatus } from '../../entities/csr/survey.entity';

export interface CsrSeedUsers {
  managerId: string;
  financeId: string;
  meId: string;
  recipientId: string;
}

export async function seedCsrDemo(em: EntityManager, users: CsrSeedUsers): Promise<void> {
  await em.flush();
  const partner = (name: string, type: PartnerType, extra: Partial<Partner> = {}) =>
    em.create(Partner, { name, type, mouSigned: false, active: true, ...extra } as Partner);
  partner('CSR Office', PartnerType.INTERNAL, { contactName: 'CSR desk', contactEmail: 'csr@example.test' });
  const sunrise = partner('Sunrise Education Trust', PartnerType.RECIPIENT_PARTNER, {
    contactName: 'Asha Rao', contactEmail: 'asha@sunrise.example.test', mouSigned: true, mouDate: '2026-01-15',
  });
  const fields = partner('Green Fields Cooperative', PartnerType.RECIPIENT_PARTNER, { contactName: 'Ravi Kumar' });
  partner('BuildRight Supplies', PartnerType.VENDOR);
  em.create(PartnerMember, { partnerId: sunrise.id, userId: users.recipientId } as PartnerMember);

  const budget = em.create(Budget, { financialYear: 2026, total: '1000000.00', createdBy: users.financeId } as Budget);
  const allocation = (sector: Sector, allocated: string, spent: string) =>
    em.create(BudgetAllocation, { budgetId: budget.id, sector, allocated, spent } as BudgetAllocation);
  const education = allocation(Sector.EDUCATION, '400000.00', '50000.00');
  allocation(Sector.HEALTH, '250000.00', '0.00');
  const agriculture = allocation(Sector.AGRICULTURE, '150000.00', '8000.00');

  const project = (title: string, sector: Sector, status: ProjectStatus, partnerId: string, estimatedBudget: string, actualExpenditure: string) =>
    em.create(Project, {
      title, sector, status, partnerId, estimatedBudget, actualExpenditure, startDate: '2026-04-01', endDate: '2027-03-31',
      description: `${title} (demo project)`, createdBy: users.managerId,
    } as Project);
  const schools = project('Rural Schools Program', Sector.EDUCATION, ProjectStatus.ACTIVE, sunrise.id, '300000.00', '50000.00');
  const camps = project('Village Health Camps', Sector.HEALTH, ProjectStatus.PLANNING, fields.id, '120000.00', '0.00');
  const irrigation = project('Drip Irrigation Pilot', Sector.AGRICULTURE, ProjectStatus.ACTIVE, fields.id, '90000.00', '8000.00');

  const milestone = (projectId: string, title: string, dueDate: string, completionPercentage: number, status: MilestoneStatus, approved = false) =>
    em.create(Milestone, {
      projectId, title, dueDate, completionPercentage, status,
      approvedBy: approved ? users.managerId : null, approvedAt: approved ? new Date('2026-06-01T10:00:00Z') : null,
    } as Milestone);
  milestone(schools.id, 'Site survey', '2026-05-31', 100, MilestoneStatus.APPROVED, true);
  milestone(schools.id, 'Classroom construction', '2027-01-31', 60, MilestoneStatus.IN_PROGRESS);
  milestone(schools.id, 'Teacher training', '2027-03-15', 0, MilestoneStatus.PENDING);
  milestone(camps.id, 'Camp schedule agreed', '2027-01-15', 0, MilestoneStatus.PENDING);
  milestone(irrigation.id, 'Pilot plots prepared', '2026-12-31', 30, MilestoneStatus.IN_PROGRESS);

  const expense = (p: Project, a: BudgetAllocation, amount: string, category: string, status: ExpenseStatus) =>
    em.create(Expense, {
      projectId: p.id, allocationId: a.id, amount, category, expenseDate: '2026-07-01', status, submittedBy: users.managerId,
      approvedBy: status === ExpenseStatus.SUBMITTED ? null : users.financeId, approvedAt: status === ExpenseStatus.SUBMITTED ? null : new Date('2026-07-05T09:00:00Z'),
    } as Expense);
  expense(schools, education, '50000.00', 'construction', ExpenseStatus.APPROVED);
  expense(schools, education, '12500.50', 'materials', ExpenseStatus.SUBMITTED);
  expense(irrigation, agriculture, '8000.00', 'equipment', ExpenseStatus.PAID);

  em.create(Disbursement, {
    partnerId: sunrise.id, projectId: schools.id, amount: '100000.00', status: DisbursementStatus.RELEASED, reference: 'NEFT-2026-0001',
    scheduledDate: '2026-06-15', releasedAt: new Date('2026-06-15T08:00:00Z'), createdBy: users.financeId,
  } as Disbursement);

  const survey = em.create(Survey, {
    projectId: schools.id, title: 'Parent satisfaction', status: SurveyStatus.OPEN, createdBy: users.meId,
    questions: [
      { key: 'satisfaction', label: 'How satisfied are you with the school?', type: QuestionType.RATING, required: true, options: null },
      { key: 'enrolled', label: 'Is your child enrolled?', type: QuestionType.BOOLEAN, required: true, options: null },
      { key: 'comments', label: 'Comments', type: QuestionType.TEXT, required: false, options: null },
    ],
  } as Survey);
  em.create(SurveyResponse, { surveyId: survey.id, respondentId: users.recipientId, answers: { satisfaction: 4, enrolled: true } as Record<string, unknown> } as unknown as SurveyResponse);

  const enrolled = em.create(Kpi, { projectId: schools.id, name: 'Children enrolled', unit: 'students', baseline: '0', target: '500', current: '200' } as Kpi);
  em.create(KpiMeasurement, { kpiId: enrolled.id, value: '200', measuredOn: '2026-10-01', recordedBy: users.meId } as KpiMeasurement);
  em.create(Kpi, { projectId: irrigation.id, name: 'Yield increase', unit: '%', baseline: '0', target: '25', current: '0' } as Kpi);
  await em.flush();
}
