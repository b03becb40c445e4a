/**
 * Pipelines and their ordered stages. Every organization has one default pipeline: created by
 * the seed for the demo organizations and, for any other organization, lazily by the first CRM
 * operation that needs it (ensureDefaultPipeline), inside that operation's transaction; a partial
 * unique index (one default per organization) plus an advisory lock make concurrent first uses
 * create it once. Organization creation (tenancy) is left untouched.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestContext } from '../../core/context/request-context';
import { TENANT_FILTER, type TenantFilterParams } from '../../core/orm/base-entities';
import { badInput, notFound } from '../../core/errors';
import { Pipeline, PipelineStage, StageKind } from '../../entities/crm/sales.entity';
import { recordAudit } from '../audit';
import { access, listRecords, percent, readRecord, text, type ListInput, type Row } from './common';

export const DEFAULT_STAGES: { name: string; probability: number; kind: StageKind }[] = [
  { name: 'Prospecting', probability: 10, kind: StageKind.OPEN },
  { name: 'Qualification', probability: 25, kind: StageKind.OPEN },
  { name: 'Proposal', probability: 50, kind: StageKind.OPEN },
  { name: 'Negotiation', probability: 75, kind: StageKind.OPEN },
  { name: 'Closed won', probability: 100, kind: StageKind.WON },
  { name: 'Closed lost', probability: 0, kind: StageKind.LOST },
];

function createStages(em: EntityManager, pipelineId: string, stages: { name: string; probability: number; kind: StageKind }[]): PipelineStage[] {
  return stages.map((s, i) => em.create(PipelineStage, { pipelineId, name: s.name, probability: s.probability, kind: s.kind, position: i + 1 } as PipelineStage));
}

/** The organization's default pipeline, created with the default stages if it has none yet. Call inside a transaction. */
export async function ensureDefaultPipeline(ctx: RequestContext, em: EntityManager): Promise<Pipeline> {
  const existing = await em.findOne(Pipeline, { isDefault: true });
  if (existing) return existing;
  // The organization `em` acts in (a request's, or the seed's `asTenant`).
  const organizationId = em.getFilterParams<TenantFilterParams>(TENANT_FILTER)?.organizationId;
  if (!organizationId) throw new Error('ensureDefaultPipeline needs a tenant context');
  await em.execute('select pg_advisory_xact_lock(hashtextextended(?, 0))', [`crm:default-pipeline:${organizationId}`]);
  const again = await em.findOne(Pipeline, { isDefault: true }, { refresh: true });
  if (again) return again;
  const pipeline = em.create(Pipeline, { name: 'Sales pipeline', isDefault: true, description: 'Default pipeline' } as Pipeline);
  createStages(em, pipeline.id, DEFAULT_STAGES);
  await em.flush();
  await recordAudit(ctx, em, {
    organizationId,
    action: 'crm.pipeline.create',
    resourceType: 'Pipeline',
    resourceId: pipeline.id,
    changes: { name: pipeline.name, isDefault: true, stages: DEFAULT_STAGES.map((s) => s.name) },
  });
  return pipeline;
}

/** The stages of a pipeline in order. */
export async function pipelineStages(ctx: RequestContext, pipelineId: string): Promise<Row[]> {
  const stages = await ctx.loaders.manyBy<Row>(PipelineStage, 'pipelineId', pipelineId);
  return [...stages].sort((a, b) => (a.position as number) - (b.position as number));
}

export async function listPipelines(ctx: RequestContext, input: ListInput) {
  access(ctx, 'pipeline:read');
  // The default pipeline exists before anyone lists pipelines.
  await ctx.db.transactional((em) => ensureDefaultPipeline(ctx, em));
  return listRecords(ctx, { entity: Pipeline, searchColumns: ['name'] }, { ...input, orderBy: input.orderBy ?? [{ field: 'createdAt', direction: 'ASC' }] }, null);
}

export const getPipeline = (ctx: RequestContext, id: string) => readRecord<Row>(ctx, Pipeline, 'Pipeline', id, null);
export const getStage = (ctx: RequestContext, id: string) => ctx.loaders.byId<Row>(PipelineStage, id);

export interface NewPipeline {
  name: string;
  description?: string | null;
  stages: { name: string; probability: number; kind?: StageKind | null }[];
}

/** A pipeline with its stages in the given order: open stages, then at most one won and one lost stage. */
export async function createPipeline(ctx: RequestContext, input: NewPipeline): Promise<Pipeline> {
  access(ctx, 'pipeline:write');
  const name = text('name', input.name, { required: true, max: 200 })!;
  if (!input.stages.length || input.stages.length > 20) throw badInput('stages', 'A pipeline has between 1 and 20 stages');
  const stages = input.stages.map((s, i) => ({
    name: text(`stages.${i}.name`, s.name, { required: true, max: 100 })!,
    probability: percent(`stages.${i}.probability`, s.probability),
    kind: s.kind ?? StageKind.OPEN,
  }));
  for (const kind of [StageKind.WON, StageKind.LOST]) {
    if (stages.filter((s) => s.kind === kind).length > 1) throw badInput('stages', `At most one ${kind} stage`);
  }
  if (!stages.some((s) => s.kind === StageKind.OPEN)) throw badInput('stages', 'A pipeline needs at least one open stage');
  return ctx.db.transactional(async (em) => {
    await ensureDefaultPipeline(ctx, em);
    const pipeline = em.create(Pipeline, { name, description: text('description', input.description), isDefault: false } as Pipeline);
    createStages(em, pipeline.id, stages);
    await em.flush();
    await recordAudit(ctx, em, { action: 'crm.pipeline.create', resourceType: 'Pipeline', resourceId: pipeline.id, changes: { name, stages } });
    return pipeline;
  });
}

/** A stage of `pipelineId` (NOT_FOUND on `field` otherwise). */
export async function requireStage(em: EntityManager, pipelineId: string, stageId: string, field: string): Promise<PipelineStage> {
  const stage = await em.findOne(PipelineStage, { id: stageId, pipelineId });
  if (!stage) throw notFound('Stage', field);
  return stage;
}

/** The first open stage of a pipeline. */
export async function firstOpenStage(em: EntityManager, pipelineId: string): Promise<PipelineStage> {
  const stage = await em.findOne(PipelineStage, { pipelineId, kind: StageKind.OPEN }, { orderBy: { position: 'asc' } });
  if (!stage) throw badInput('pipelineId', 'The pipeline has no open stage');
  return stage;
}
