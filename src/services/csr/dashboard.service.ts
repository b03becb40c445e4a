/**
 * `csrDashboard`: one section per role, each included only when the caller's permissions reach
 * its data, every figure computed by SQL aggregates (no rows loaded to be counted in memory).
 *   manager   (project:write all + budget:read): projects by status and sector, budget use by sector, overdue milestones
 *   finance   (budget:read + expense:read):      allocated / spent / remaining by year and sector, pending expenses
 *   me        (kpi:read + survey:read all):      KPI progress, survey response rates
 *   recipient (project:read own):                their projects and their next milestones
 */
import type { RequestContext } from '../../core/context/request-context';
import { requireTenant, requireViewer } from '../../core/context/request-context';
import { scopeOf } from '../../core/access/permissions';
import { viewerPartnerIds } from './csr.scope';

type Rows<T> = Promise<{ rows: T[] }>;

export interface CountBy { key: string; count: number }
export interface SectorUse { financialYear: number; sector: string; allocated: string; spent: string; remaining: string; utilisation: number }
export interface OverdueMilestone { id: string; projectId: string; projectTitle: string; title: string; dueDate: string | null; completionPercentage: number }
export interface KpiProgressRow { kpiId: string; projectId: string; name: string; unit: string; baseline: string; target: string; current: string; progress: number }
export interface SurveyRate { surveyId: string; projectId: string; title: string; status: string; responses: number; respondents: number; expectedRespondents: number; responseRate: number | null }
export interface RecipientProject { id: string; title: string; status: string; sector: string; milestones: number; averageCompletion: number }
export interface NextMilestone { id: string; projectId: string; title: string; dueDate: string | null; status: string; completionPercentage: number }

export interface CsrDashboardData {
  manager: { projectsByStatus: CountBy[]; projectsBySector: CountBy[]; budgetUtilisation: SectorUse[]; overdueMilestoneCount: number; overdueMilestones: OverdueMilestone[] } | null;
  finance: { allocations: SectorUse[]; pendingExpenseCount: number; pendingExpenseTotal: string } | null;
  me: { kpis: KpiProgressRow[]; surveys: SurveyRate[] } | null;
  recipient: { projects: RecipientProject[]; nextMilestones: NextMilestone[] } | null;
}

const num = (v: unknown) => Number(v);

export async function csrDashboard(ctx: RequestContext, opts: { financialYear?: number | null } = {}): Promise<CsrDashboardData> {
  const org = requireTenant(ctx);
  const perms = requireViewer(ctx).permissions;
  const trx = await ctx.db.trx();
  const q = <T>(sql: string, params: unknown[]) => trx.raw(sql, params as never[]) as unknown as Rows<T>;

  const isManager = scopeOf(perms, 'project:write') === 'all' && scopeOf(perms, 'budget:read') === 'all';
  const isFinance = scopeOf(perms, 'budget:read') === 'all' && scopeOf(perms, 'expense:read') === 'all';
  const isMe = scopeOf(perms, 'kpi:read') === 'all' && scopeOf(perms, 'survey:read') === 'all';
  const isRecipient = scopeOf(perms, 'project:read') === 'own';

  // Budget use per year and sector (both the manager's and the finance officer's figures).
  const sectorUse = async (year: number | null): Promise<SectorUse[]> =>
    (
      await q<Record<string, unknown>>(
        `select b.financial_year, a.sector::text as sector, a.allocated::text as allocated, a.spent::text as spent,
                (a.allocated - a.spent)::text as remaining,
                case when a.allocated = 0 then 0 else round(a.spent * 100 / a.allocated, 2) end::float8 as utilisation
           from csr_budget_allocation a join csr_budget b on b.id = a.budget_id
          where a.organization_id = ? and (?::int is null or b.financial_year = ?::int)
          order by b.financial_year desc, a.sector`,
        [org, year, year],
      )
    ).rows.map((r) => ({
      financialYear: num(r.financial_year), sector: String(r.sector), allocated: String(r.allocated), spent: String(r.spent),
      remaining: String(r.remaining), utilisation: num(r.utilisation),
    }));

  let manager: CsrDashboardData['manager'] = null;
  if (isManager) {
    const counts = await q<{ dim: string; key: string; count: string }>(
      `select 'status' as dim, status::text as key, count(*) as count from csr_project where organization_id = ? group by status
       union all
       select 'sector', sector::text, count(*) from csr_project where organization_id = ? group by sector
       order by 1, 2`,
      [org, org],
    );
    const year = opts.financialYear ?? num((await q<{ y: number | null }>('select max(financial_year) as y from csr_budget where organization_id = ?', [org])).rows[0].y ?? 0);
    const overdue = await q<Record<string, unknown>>(
      `select m.id, m.project_id, p.title as project_title, m.title, m.due_date::text as due_date, m.completion_percentage,
              count(*) over () as total
         from csr_milestone m join csr_project p on p.id = m.project_id
        where m.organization_id = ? and m.status = 'overdue'
        order by m.due_date, m.id limit 10`,
      [org],
    );
    manager = {
      projectsByStatus: counts.rows.filter((r) => r.dim === 'status').map((r) => ({ key: r.key, count: num(r.count) })),
      projectsBySector: counts.rows.filter((r) => r.dim === 'sector').map((r) => ({ key: r.key, count: num(r.count) })),
      budgetUtilisation: await sectorUse(year),
      overdueMilestoneCount: num(overdue.rows[0]?.total ?? 0),
      overdueMilestones: overdue.rows.map((r) => ({
        id: String(r.id), projectId: String(r.project_id), projectTitle: String(r.project_title), title: String(r.title),
        dueDate: (r.due_date as string | null) ?? null, completionPercentage: num(r.completion_percentage),
      })),
    };
  }

  let finance: CsrDashboardData['finance'] = null;
  if (isFinance) {
    const [pending] = (
      await q<{ count: string; total: string }>(
        `select count(*) as count, coalesce(sum(amount), 0)::text as total from csr_expense where organization_id = ? and status = 'submitted'`,
        [org],
      )
    ).rows;
    finance = { allocations: await sectorUse(opts.financialYear ?? null), pendingExpenseCount: num(pending.count), pendingExpenseTotal: pending.total };
  }

  let me: CsrDashboardData['me'] = null;
  if (isMe) {
    const kpis = await q<Record<string, unknown>>(
      `select id, project_id, name, unit, baseline::text as baseline, target::text as target, current::text as current,
              greatest(0, least(100, round((current - baseline) * 100 / nullif(target - baseline, 0), 2)))::float8 as progress
         from csr_kpi where organization_id = ? order by project_id, name, id`,
      [org],
    );
    const surveys = await q<Record<string, unknown>>(
      `select s.id, s.project_id, s.title, s.status::text as status,
              (select count(*) from csr_survey_response r where r.survey_id = s.id) as responses,
              (select count(distinct r.respondent_id) from csr_survey_response r where r.survey_id = s.id) as respondents,
              (select count(*) from csr_partner_member pm where pm.partner_id = p.partner_id) as expected
         from csr_survey s join csr_project p on p.id = s.project_id
        where s.organization_id = ? order by s.created_at, s.id`,
      [org],
    );
    me = {
      kpis: kpis.rows.map((r) => ({
        kpiId: String(r.id), projectId: String(r.project_id), name: String(r.name), unit: String(r.unit), baseline: String(r.baseline),
        target: String(r.target), current: String(r.current), progress: num(r.progress ?? 0),
      })),
      surveys: surveys.rows.map((r) => {
        const expected = num(r.expected);
        const respondents = num(r.respondents);
        return {
          surveyId: String(r.id), projectId: String(r.project_id), title: String(r.title), status: String(r.status), responses: num(r.responses),
          respondents, expectedRespondents: expected, responseRate: expected ? Math.round((Math.min(respondents, expected) * 10000) / expected) / 100 : null,
        };
      }),
    };
  }

  let recipient: CsrDashboardData['recipient'] = null;
  if (isRecipient) {
    const partners = await viewerPartnerIds(ctx);
    const projects = await q<Record<string, unknown>>(
      `select p.id, p.title, p.status::text as status, p.sector::text as sector, count(m.id) as milestones,
              coalesce(round(avg(m.completion_percentage), 2), 0)::float8 as average_completion
         from csr_project p left join csr_milestone m on m.project_id = p.id
        where p.organization_id = ? and p.partner_id = any(?::uuid[])
        group by p.id order by p.title, p.id`,
      [org, partners],
    );
    const next = await q<Record<string, unknown>>(
      `select m.id, m.project_id, m.title, m.due_date::text as due_date, m.status::text as status, m.completion_percentage
         from csr_milestone m join csr_project p on p.id = m.project_id
        where m.organization_id = ? and p.partner_id = any(?::uuid[]) and m.status not in ('completed', 'approved')
        order by m.due_date nulls last, m.id limit 10`,
      [org, partners],
    );
    recipient = {
      projects: projects.rows.map((r) => ({
        id: String(r.id), title: String(r.title), status: String(r.status), sector: String(r.sector), milestones: num(r.milestones), averageCompletion: num(r.average_completion),
      })),
      nextMilestones: next.rows.map((r) => ({
        id: String(r.id), projectId: String(r.project_id), title: String(r.title), dueDate: (r.due_date as string | null) ?? null,
        status: String(r.status), completionPercentage: num(r.completion_percentage),
      })),
    };
  }

  return { manager, finance, me, recipient };
}
