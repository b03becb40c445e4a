/**
 * Matching rules under maker-checker: creating a rule or changing one raises a
 * rule_configuration approval; the rule (or the change) applies only once another member with
 * approval:approve approves it. Until then an approved rule keeps matching with its approved
 * configuration, and a new rule takes no part in runs.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import Decimal from 'decimal.js';
import type { RequestContext } from '../../core/context/request-context';
import { requireTenant, requireViewer } from '../../core/context/request-context';
import { badInput, DomainError, notFound } from '../../core/errors';
import { assertId } from '../../core/ids';
import { buildConnection, type ListArgs } from '../../core/orm/connection';
import { ApprovalType, MatchField, MatchingRuleStatus, MatchingRuleType } from '../../entities/recon/enums';
import { MatchingRule, type RuleConfig } from '../../entities/recon/matching-rule.entity';
import type { Approval } from '../../entities/recon/approval.entity';
import { recordAudit } from '../audit';
import { onApprovalDecision, requestApproval } from './approval.service';

export type RuleInput = Partial<Omit<RuleConfig, 'amountTolerancePct' | 'amountToleranceAbs' | 'similarityThreshold'>> & {
  amountTolerancePct?: string | null;
  amountToleranceAbs?: string | null;
  similarityThreshold?: string | null;
};

const CONFIG_KEYS: (keyof RuleConfig)[] = [
  'name', 'type', 'fields', 'amountTolerancePct', 'amountToleranceAbs', 'dateToleranceDays', 'similarityThreshold', 'regexPattern', 'allowGroups', 'priority', 'active',
];

export function configOf(rule: MatchingRule): RuleConfig {
  return {
    name: rule.name,
    type: rule.type,
    fields: rule.fields,
    amountTolerancePct: new Decimal(rule.amountTolerancePct).toString(),
    amountToleranceAbs: new Decimal(rule.amountToleranceAbs).toString(),
    dateToleranceDays: rule.dateToleranceDays,
    similarityThreshold: new Decimal(rule.similarityThreshold).toString(),
    regexPattern: rule.regexPattern ?? null,
    allowGroups: rule.allowGroups,
    priority: rule.priority,
    active: rule.active,
  };
}

function decimalIn(field: string, value: string, min: number, max: number): string {
  let d: Decimal;
  try {
    d = new Decimal(value);
  } catch {
    throw badInput(field, `${field} must be a number`);
  }
  if (!d.isFinite() || d.lt(min) || d.gt(max)) throw badInput(field, `${field} must be between ${min} and ${max}`);
  return d.toString();
}

/** The full configuration `base` + `patch`, validated. */
function validateConfig(base: RuleConfig, patch: RuleInput): RuleConfig {
  const c: RuleConfig = { ...base };
  for (const key of CONFIG_KEYS) if (patch[key] !== undefined && patch[key] !== null) (c as unknown as Record<string, unknown>)[key] = patch[key];
  if (patch.regexPattern === null) c.regexPattern = null;
  c.name = c.name?.trim() ?? '';
  if (!c.name || c.name.length > 100) throw badInput('name', 'name must be 1 to 100 characters');
  if (!Object.values(MatchingRuleType).includes(c.type)) throw badInput('type', 'Unknown rule type');
  c.fields = [...new Set(c.fields ?? [])];
  if (c.fields.some((f) => !Object.values(MatchField).includes(f))) throw badInput('fields', 'Unknown field');
  c.amountTolerancePct = decimalIn('amountTolerancePct', c.amountTolerancePct, 0, 100);
  c.amountToleranceAbs = decimalIn('amountToleranceAbs', c.amountToleranceAbs, 0, 1e12);
  c.similarityThreshold = decimalIn('similarityThreshold', c.similarityThreshold, 0.1, 1);
  if (!Number.isInteger(c.dateToleranceDays) || c.dateToleranceDays < 0 || c.dateToleranceDays > 366) throw badInput('dateToleranceDays', 'dateToleranceDays must be 0 to 366');
  if (!Number.isInteger(c.priority) || c.priority < 0 || c.priority > 100000) throw badInput('priority', 'priority must be 0 to 100000');
  switch (c.type) {
    case MatchingRuleType.EXACT:
      if (!c.fields.length) throw badInput('fields', 'An exact rule compares at least one field');
      break;
    case MatchingRuleType.FUZZY:
      if (!c.fields.includes(MatchField.REFERENCE) && !c.fields.includes(MatchField.DESCRIPTION)) {
        throw badInput('fields', 'A fuzzy rule compares reference or description by similarity');
      }
      break;
    case MatchingRuleType.RANGE:
      break;
    case MatchingRuleType.REGEX:
      if (!c.regexPattern) throw badInput('regexPattern', 'A regex rule needs regexPattern');
      break;
  }
  if (c.regexPattern) {
    if (c.regexPattern.length > 200) throw badInput('regexPattern', 'regexPattern must be at most 200 characters');
    // Run in PostgreSQL (POSIX regular expressions): lookarounds and the like are refused here.
    if (/\(\?[<=!]/.test(c.regexPattern)) throw badInput('regexPattern', 'regexPattern must be a POSIX regular expression (no lookarounds)');
    try {
      new RegExp(c.regexPattern);
    } catch {
      throw badInput('regexPattern', 'regexPattern is not a valid regular expression');
    }
  }
  return c;
}

const EMPTY: RuleConfig = {
  name: '',
  type: MatchingRuleType.EXACT,
  fields: [MatchField.REFERENCE, MatchField.AMOUNT, MatchField.DATE],
  amountTolerancePct: '0',
  amountToleranceAbs: '0',
  dateToleranceDays: 0,
  similarityThreshold: '0.8',
  regexPattern: null,
  allowGroups: false,
  priority: 100,
  active: true,
};

async function assertNameFree(em: EntityManager, name: string, exceptId?: string): Promise<void> {
  const [taken] = await em.execute<{ id: string }[]>('select id from recon_rule where lower(name) = lower(?) and id <> coalesce(?::uuid, gen_random_uuid()) limit 1', [name, exceptId ?? null]);
  if (taken) throw new DomainError('CONFLICT', `A rule named "${name}" exists already`, { field: 'name' });
}

/** Creates a rule awaiting approval (it takes part in runs once approved). */
export async function createMatchingRule(ctx: RequestContext, input: RuleInput): Promise<MatchingRule> {
  requireTenant(ctx);
  const viewer = requireViewer(ctx);
  const config = validateConfig(EMPTY, input);
  return ctx.db.transactional(async (em) => {
    await assertNameFree(em, config.name);
    const rule = em.create(MatchingRule, { ...config, status: MatchingRuleStatus.PENDING_APPROVAL, version: 0, createdBy: viewer.userId } as unknown as MatchingRule);
    await em.flush();
    const approval = await requestApproval(ctx, em, {
      type: ApprovalType.RULE_CONFIGURATION,
      title: `New matching rule "${config.name}"`,
      resourceType: 'MatchingRule',
      resourceId: rule.id,
      payload: { action: 'create', config: { ...config } },
    });
    rule.approvalId = approval.id;
    await em.flush();
    await recordAudit(ctx, em, { action: 'recon.rule.create', resourceType: 'MatchingRule', resourceId: rule.id, changes: { config, approvalId: approval.id } });
    return rule;
  });
}

/** Proposes a change; it waits in pendingChange for approval. One pending change at a time. */
export async function updateMatchingRule(ctx: RequestContext, id: string, input: RuleInput): Promise<MatchingRule> {
  requireTenant(ctx);
  assertId('id', id);
  return ctx.db.transactional(async (em) => {
    const rule = await em.findOne(MatchingRule, { id }, { lockMode: 4 });
    if (!rule) throw notFound('MatchingRule', 'id');
    const [pending] = await em.execute<{ id: string }[]>(`select id from recon_approval where resource_type = 'MatchingRule' and resource_id = ? and status = 'pending' limit 1`, [id]);
    if (pending) throw new DomainError('CONFLICT', 'A change of this rule is awaiting approval already; have it decided first', { field: 'id', approvalId: pending.id });
    const current = configOf(rule);
    const next = validateConfig(current, input);
    const change: Partial<RuleConfig> = {};
    for (const key of CONFIG_KEYS) if (JSON.stringify(next[key]) !== JSON.stringify(current[key])) (change as Record<string, unknown>)[key] = next[key];
    if (!Object.keys(change).length) throw badInput('input', 'Nothing to change');
    if (change.name) await assertNameFree(em, change.name, id);
    const approval = await requestApproval(ctx, em, {
      type: ApprovalType.RULE_CONFIGURATION,
      title: `Change of matching rule "${rule.name}"`,
      resourceType: 'MatchingRule',
      resourceId: rule.id,
      payload: { action: 'update', change, before: current },
    });
    rule.pendingChange = change;
    rule.approvalId = approval.id;
    if (rule.status === MatchingRuleStatus.REJECTED) rule.status = MatchingRuleStatus.PENDING_APPROVAL;
    await em.flush();
    await recordAudit(ctx, em, { action: 'recon.rule.update_requested', resourceType: 'MatchingRule', resourceId: id, changes: { change, approvalId: approval.id } });
    return rule;
  });
}

onApprovalDecision(ApprovalType.RULE_CONFIGURATION, async (ctx, em, approval: Approval, decision) => {
  if (!approval.resourceId) return;
  const rule = await em.findOne(MatchingRule, { id: approval.resourceId }, { lockMode: 4 });
  if (!rule) return;
  const action = approval.payload.action;
  if (decision === 'approved') {
    if (action === 'update') Object.assign(rule, approval.payload.change as Partial<RuleConfig>);
    rule.pendingChange = null;
    rule.status = MatchingRuleStatus.APPROVED;
    rule.approvedAt = new Date();
    rule.version += 1;
  } else {
    rule.pendingChange = null;
    rule.status = rule.version > 0 ? MatchingRuleStatus.APPROVED : MatchingRuleStatus.REJECTED;
  }
  await em.flush();
  await recordAudit(ctx, em, {
    action: decision === 'approved' ? 'recon.rule.approve' : 'recon.rule.reject',
    resourceType: 'MatchingRule',
    resourceId: rule.id,
    changes: { approvalId: approval.id, status: rule.status, version: rule.version, applied: decision === 'approved' ? approval.payload : null },
  });
});

export async function getMatchingRule(ctx: RequestContext, id: string): Promise<MatchingRule> {
  requireTenant(ctx);
  const rule = await ctx.loaders.byId<MatchingRule>(MatchingRule, assertId('id', id));
  if (!rule) throw notFound('MatchingRule', 'id');
  return rule;
}

export function listMatchingRules(ctx: RequestContext, args: ListArgs) {
  requireTenant(ctx);
  return buildConnection<MatchingRule>(ctx.db, MatchingRule, {
    filter: args.filter,
    orderBy: args.orderBy ?? [{ field: 'priority', direction: 'ASC' }],
    first: args.first,
    after: args.after,
  });
}

/** The approved, active rules in the order runs apply them. */
export async function rulesForRun(em: EntityManager): Promise<(RuleConfig & { id: string })[]> {
  const rules = await em.find(MatchingRule, { status: MatchingRuleStatus.APPROVED, active: true }, { orderBy: { priority: 'asc', createdAt: 'asc' } });
  return rules.map((r) => ({ id: r.id, ...configOf(r) }));
}
