/**
 * Surveys of projects (typed questions; draft → open → closed), responses validated against the
 * question types, and KPIs with measurements that update the current value.
 */
import Decimal from 'decimal.js';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestContext } from '../../core/context/request-context';
import { requireTenant, requireViewer } from '../../core/context/request-context';
import { badInput, conflict, DomainError, notFound } from '../../core/errors';
import { assertId } from '../../core/ids';
import { buildConnection, type ListArgs } from '../../core/orm/connection';
import { Project } from '../../entities/csr/project.entity';
import { Kpi, KpiMeasurement, QuestionType, Survey, SurveyQuestion, SurveyResponse, SurveyStatus } from '../../entities/csr/survey.entity';
import { recordAudit } from '../audit';
import { assertInScope, projectScope, type ProjectScope } from './csr.scope';
import { measure, optionalText, requiredText } from './csr.values';
import type { Loaded } from '../../core/orm/loaders';

export interface QuestionInput {
  key: string;
  label: string;
  type: QuestionType;
  required?: boolean | null;
  options?: string[] | null;
}

function questions(input: QuestionInput[]): SurveyQuestion[] {
  if (!input.length) throw badInput('questions', 'A survey needs at least one question');
  if (input.length > 200) throw badInput('questions', 'A survey has at most 200 questions');
  const keys = new Set<string>();
  return input.map((q, i) => {
    const field = `questions.${i}`;
    const key = q.key.trim();
    if (!/^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(key)) throw badInput(`${field}.key`, 'A question key is a letter followed by letters, digits or _ (at most 64)');
    if (keys.has(key)) throw badInput(`${field}.key`, `Two questions have the key ${key}`);
    keys.add(key);
    const choice = q.type === QuestionType.SINGLE_CHOICE || q.type === QuestionType.MULTIPLE_CHOICE;
    const options = (q.options ?? []).map((o) => o.trim()).filter(Boolean);
    if (choice && options.length < 2) throw badInput(`${field}.options`, 'A choice question needs at least two options');
    if (choice && new Set(options).size !== options.length) throw badInput(`${field}.options`, 'Options must differ');
    if (!choice && q.options?.length) throw badInput(`${field}.options`, 'Only choice questions have options');
    return { key, label: requiredText(`${field}.label`, q.label, 500), type: q.type, required: q.required ?? false, options: choice ? options : null };
  });
}

const isDate = (v: unknown) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v);

/** The answers, checked against the survey's questions (unknown keys, missing required ones, types). */
export function validateAnswers(qs: SurveyQuestion[], answers: Record<string, unknown>): Record<string, unknown> {
  const byKey = new Map(qs.map((q) => [q.key, q]));
  for (const key of Object.keys(answers)) if (!byKey.has(key)) throw badInput(`answers.${key}`, `There is no question ${key}`);
  const clean: Record<string, unknown> = {};
  for (const q of qs) {
    const field = `answers.${q.key}`;
    const v = answers[q.key];
    if (v === undefined || v === null || v === '' || (Array.isArray(v) && !v.length)) {
      if (q.required) throw badInput(field, `${q.label} is required`);
      continue;
    }
    switch (q.type) {
      case QuestionType.TEXT:
        if (typeof v !== 'string' || v.length > 10_000) throw badInput(field, 'Expected text (at most 10,000 characters)');
        break;
      case QuestionType.NUMBER:
        if (typeof v !== 'number' || !Number.isFinite(v)) throw badInput(field, 'Expected a number');
        break;
      case QuestionType.RATING:
        if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 5) throw badInput(field, 'Expected a rating from 1 to 5');
        break;
      case QuestionType.BOOLEAN:
        if (typeof v !== 'boolean') throw badInput(field, 'Expected true or false');
        break;
      case QuestionType.DATE:
        if (!isDate(v)) throw badInput(field, 'Expected a date (YYYY-MM-DD)');
        break;
      case QuestionType.SINGLE_CHOICE:
        if (typeof v !== 'string' || !q.options?.includes(v)) throw badInput(field, `Expected one of: ${q.options?.join(', ')}`);
        break;
      case QuestionType.MULTIPLE_CHOICE:
        if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || !q.options?.includes(x)) || new Set(v).size !== v.length) {
          throw badInput(field, `Expected distinct options among: ${q.options?.join(', ')}`);
        }
        break;
    }
    clean[q.key] = v;
  }
  return clean;
}

async function projectFor(em: EntityManager, scope: ProjectScope, projectId: string, field = 'projectId'): Promise<Project> {
  const project = await em.findOne(Project, { id: assertId(field, projectId) });
  if (!project) throw notFound('Project', field);
  assertInScope(scope, project.partnerId, 'Project', field);
  return project;
}

async function surveyIn(ctx: RequestContext, em: EntityManager, permission: string, id: string, field = 'id', lock = false): Promise<Survey> {
  const scope = await projectScope(ctx, permission, em);
  const survey = await em.findOne(Survey, { id: assertId(field, id) }, lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {});
  if (!survey) throw notFound('Survey', field);
  const project = await em.findOneOrFail(Project, { id: survey.projectId });
  assertInScope(scope, project.partnerId, 'Survey', field);
  return survey;
}

export async function createSurvey(ctx: RequestContext, input: { projectId: string; title: string; description?: string | null; questions: QuestionInput[] }): Promise<Survey> {
  const viewer = requireViewer(ctx);
  const title = requiredText('title', input.title);
  const description = optionalText('description', input.description);
  const qs = questions(input.questions);
  return ctx.db.transactional(async (em) => {
    const scope = await projectScope(ctx, 'survey:write', em);
    const project = await projectFor(em, scope, input.projectId);
    const survey = em.create(Survey, { projectId: project.id, title, description, questions: qs, status: SurveyStatus.DRAFT, createdBy: viewer.userId } as Survey);
    await em.flush();
    await recordAudit(ctx, em, { action: 'csr.survey.create', resourceType: 'Survey', resourceId: survey.id, changes: { projectId: project.id, title, questions: qs.length } });
    return survey;
  });
}

const SURVEY_TRANSITIONS: Record<SurveyStatus, SurveyStatus[]> = {
  [SurveyStatus.DRAFT]: [SurveyStatus.OPEN],
  [SurveyStatus.OPEN]: [SurveyStatus.CLOSED],
  [SurveyStatus.CLOSED]: [SurveyStatus.OPEN],
};

/** Opens or closes a survey (draft → open ⇄ closed). */
export async function changeSurveyStatus(ctx: RequestContext, id: string, status: SurveyStatus): Promise<Survey> {
  return ctx.db.transactional(async (em) => {
    const survey = await surveyIn(ctx, em, 'survey:write', id, 'id', true);
    const from = survey.status;
    if (!SURVEY_TRANSITIONS[from].includes(status)) {
      throw new DomainError('CONFLICT', `A ${from} survey cannot become ${status}`, { field: 'status', reason: 'ILLEGAL_TRANSITION', from, to: status });
    }
    survey.status = status;
    await em.flush();
    await recordAudit(ctx, em, { action: 'csr.survey.status_change', resourceType: 'Survey', resourceId: id, changes: { status: { from, to: status } } });
    return survey;
  });
}

/** Records a response to an open survey of a project the caller may write surveys of. */
export async function submitSurveyResponse(ctx: RequestContext, surveyId: string, answers: Record<string, unknown>): Promise<SurveyResponse> {
  const viewer = requireViewer(ctx);
  return ctx.db.transactional(async (em) => {
    const survey = await surveyIn(ctx, em, 'survey:write', surveyId, 'surveyId');
    if (survey.status !== SurveyStatus.OPEN) throw conflict(`The survey is ${survey.status}; responses are accepted while it is open`, 'surveyId');
    const clean = validateAnswers(survey.questions, answers ?? {});
    const response = em.create(SurveyResponse, { surveyId: survey.id, respondentId: viewer.userId, answers: clean } as SurveyResponse);
    await em.flush();
    await recordAudit(ctx, em, { action: 'csr.survey.respond', resourceType: 'SurveyResponse', resourceId: response.id, changes: { surveyId: survey.id, answered: Object.keys(clean) } });
    return response;
  });
}

export async function getSurvey(ctx: RequestContext, id: string): Promise<Survey> {
  const scope = await projectScope(ctx, 'survey:read');
  const survey = await ctx.loaders.byId<Survey>(Survey, assertId('id', id));
  if (!survey) throw notFound('Survey', 'id');
  if (scope) assertInScope(scope, (await ctx.loaders.byId<Project>(Project, survey.projectId))?.partnerId, 'Survey', 'id');
  return survey;
}

export async function listSurveys(ctx: RequestContext, args: ListArgs) {
  const scope = await projectScope(ctx, 'survey:read');
  const orgId = requireTenant(ctx);
  return buildConnection<Survey>(ctx.db, Survey, {
    filter: args.filter,
    orderBy: args.orderBy ?? [{ field: 'createdAt', direction: 'DESC' }],
    first: args.first,
    after: args.after,
    select: args.select,
    where: scope ? (qb) => qb.whereIn('project_id', (sub) => sub.select('id').from('csr_project').where('organization_id', orgId).whereIn('partner_id', scope)) : undefined,
  });
}

/** Responses of a survey the caller may read (responses of own-scope users: their projects' surveys). */
export async function listSurveyResponses(ctx: RequestContext, surveyId: string, args: ListArgs) {
  const survey = await getSurvey(ctx, surveyId);
  return buildConnection<SurveyResponse>(ctx.db, SurveyResponse, {
    orderBy: args.orderBy ?? [{ field: 'createdAt', direction: 'ASC' }],
    first: args.first,
    after: args.after,
    where: (qb) => qb.where('survey_id', survey.id),
  });
}

// ---- KPIs ----

/** Progress from baseline toward target, in percent (0–100, may be negative or above 100 before clamping). */
export function kpiProgress(kpi: Pick<Kpi, 'baseline' | 'target' | 'current'>): number {
  const span = new Decimal(kpi.target).minus(kpi.baseline);
  if (span.isZero()) return 100;
  const p = new Decimal(kpi.current).minus(kpi.baseline).div(span).times(100);
  return Math.max(0, Math.min(100, p.toDecimalPlaces(2).toNumber()));
}

export async function createKpi(ctx: RequestContext, input: { projectId: string; name: string; unit: string; baseline: string; target: string }): Promise<Kpi> {
  requireTenant(ctx);
  const name = requiredText('name', input.name);
  const unit = requiredText('unit', input.unit, 50);
  const baseline = measure('baseline', input.baseline);
  const target = measure('target', input.target);
  if (new Decimal(baseline).eq(target)) throw badInput('target', 'target must differ from the baseline');
  return ctx.db.transactional(async (em) => {
    const project = await projectFor(em, null, input.projectId);
    const kpi = em.create(Kpi, { projectId: project.id, name, unit, baseline, target, current: baseline } as Kpi);
    await em.flush();
    await recordAudit(ctx, em, { action: 'csr.kpi.create', resourceType: 'Kpi', resourceId: kpi.id, changes: { projectId: project.id, name, unit, baseline, target } });
    return kpi;
  });
}

/** Records a measurement; the KPI's current value becomes the latest measurement by date (ties: the newest). */
export async function recordKpiMeasurement(ctx: RequestContext, input: { kpiId: string; value: string; measuredOn: string; note?: string | null }): Promise<KpiMeasurement> {
  const viewer = requireViewer(ctx);
  const value = measure('value', input.value);
  const note = optionalText('note', input.note, 2000);
  return ctx.db.transactional(async (em) => {
    const kpi = await em.findOne(Kpi, { id: assertId('kpiId', input.kpiId) }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!kpi) throw notFound('Kpi', 'kpiId');
    const m = em.create(KpiMeasurement, { kpiId: kpi.id, value, measuredOn: input.measuredOn, note, recordedBy: viewer.userId } as KpiMeasurement);
    await em.flush();
    const [latest] = await em.execute<{ value: string }[]>(
      'select value::text as value from csr_kpi_measurement where kpi_id = ? order by measured_on desc, id desc limit 1',
      [kpi.id],
    );
    const before = kpi.current;
    await em.execute('update csr_kpi set current = ?::numeric, updated_at = now() where id = ?', [latest.value, kpi.id]);
    await recordAudit(ctx, em, {
      action: 'csr.kpi.measure', resourceType: 'Kpi', resourceId: kpi.id,
      changes: { measurementId: m.id, value, measuredOn: input.measuredOn, current: { from: before, to: latest.value } },
    });
    return m;
  });
}

export async function getKpi(ctx: RequestContext, id: string): Promise<Kpi> {
  requireTenant(ctx);
  const kpi = await ctx.loaders.byId<Kpi>(Kpi, assertId('id', id));
  if (!kpi) throw notFound('Kpi', 'id');
  return kpi;
}

export function listKpis(ctx: RequestContext, args: ListArgs) {
  requireTenant(ctx);
  return buildConnection<Kpi>(ctx.db, Kpi, { filter: args.filter, orderBy: args.orderBy ?? [{ field: 'createdAt', direction: 'ASC' }], first: args.first, after: args.after, select: args.select });
}

/** A KPI's measurements; `select`: the fields the client asked for (the loader reads only those columns). */
export function kpiMeasurements(ctx: RequestContext, kpiId: string, select?: Iterable<string>): Loaded<KpiMeasurement[]> {
  return ctx.loaders.manyBy<KpiMeasurement>(KpiMeasurement, 'kpiId', kpiId, select);
}
