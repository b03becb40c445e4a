/**
 * The matching passes as set-based SQL. Every pass reads only the rows of the run's files that no
 * earlier pass matched (the first pass: anti-join on recon_match_member; the later ones: the
 * leftovers the first left, which each pass deletes as it matches them), finds its pairs or
 * groups in one statement, and writes matches and members with insert ... select; the primary key
 * (job_id, row_id) of recon_match_member keeps a row in at most one match, so running a pass
 * again adds nothing. Values are bound as parameters; identifiers come from a fixed whitelist.
 */
import { MatchField, MatchingRuleType } from '../../entities/recon/enums';
import type { RuleSnapshot } from '../../entities/recon/reconciliation-job.entity';

export interface PassContext {
  organizationId: string;
  jobId: string;
  sourceFileIds: string[];
  targetFileIds: string[];
  /**
   * The run's first pass is done and recorded what it left in recon_leftover: read unmatched rows
   * from there (and delete what a pass matches) instead of anti-joining the files' rows.
   */
  leftovers?: boolean;
  /** The run's first pass: its statement also records in recon_leftover the rows it leaves. */
  recordLeftovers?: boolean;
}

export interface PassSql {
  sql: string;
  params: unknown[];
}

const COLUMN: Record<MatchField, string> = {
  [MatchField.REFERENCE]: 'reference',
  [MatchField.AMOUNT]: 'amount',
  [MatchField.DATE]: 'date',
  [MatchField.DESCRIPTION]: 'description',
  [MatchField.CURRENCY]: 'currency',
  [MatchField.CHANNEL]: 'channel',
};

/**
 * Rows of one side not matched yet in this run. `?` binds: file ids (uuid[] literal), job id.
 * Before the leftovers exist: the files' rows anti-joined with the members; after: the leftovers.
 */
const unmatched = (ctx: PassContext, alias: string, side: 'source' | 'target') =>
  ctx.leftovers
    ? `(select l.row_id as id, l.file_id, l.amount, l.date, l.reference, l.description, l.currency, l.channel
    from recon_leftover l
   where l.file_id = any(?::uuid[]) and l.job_id = ?::uuid and l.side = '${side}') ${alias}`
    : `(select r.id, r.file_id, r.amount, r.date, r.reference, r.description, r.currency, r.channel
    from recon_row r
   where r.file_id = any(?::uuid[])
     and not exists (select 1 from recon_match_member mm where mm.job_id = ?::uuid and mm.side = '${side}' and mm.row_id = r.id)) ${alias}`;

const uuidArray = (ids: string[]) => `{${ids.join(',')}}`;

/**
 * The tail shared by every pair pass: insert matches and members, count them. `p` numbers the
 * pairs in source row order and the members of both sides go in one row order: the primary key
 * (job, row) of a new run grows at its right edge (the fast path that skips the descent from the
 * root) instead of a second run of insertions back in the middle of the index.
 */
const writePairs = (ctx: PassContext) => `,
  m as (insert into recon_match (id, organization_id, job_id, rule_id, pass, type, confidence, amount_difference)
        select mid, ?::uuid, ?::uuid, ?::uuid, ?, 'one_to_one', confidence, diff from p),
  x as (insert into recon_match_member (job_id, row_id, organization_id, match_id, side)
        select ?::uuid, row_id, ?::uuid, mid, side
          from (select sid as row_id, mid, 'source'::recon_side as side from p union all select tid, mid, 'target'::recon_side from p) q
         order by row_id)${ctx.leftovers ? `,
  d as (delete from recon_leftover l where l.job_id = ?::uuid and l.row_id in (select sid from p union all select tid from p))` : ''}${ctx.recordLeftovers ? `,
  lo as (${leftoverInsert(ctx, 'u.id not in (select sid from p)', 'u.id not in (select tid from p)')})` : ''}
  select count(*)::int as matches, (count(*) * 2)::int as rows from p`;

/** Binds of the match insert, the member insert (`members` selects of job and organization) and the leftovers delete. */
function writeParams(ctx: PassContext, rule: RuleSnapshot, pass: string, members = 1): unknown[] {
  const params: unknown[] = [ctx.organizationId, ctx.jobId, rule.id, pass];
  for (let i = 0; i < members; i++) params.push(ctx.jobId, ctx.organizationId);
  if (ctx.leftovers) params.push(ctx.jobId);
  if (ctx.recordLeftovers) params.push(...leftoverParams(ctx));
  return params;
}

const sides = (ctx: PassContext) => [uuidArray(ctx.sourceFileIds), ctx.jobId, uuidArray(ctx.targetFileIds), ctx.jobId];

/** Amount within the rule's tolerance: |a - b| <= max(absolute, pct% of |a|). */
const amountWithin = (a: string, b: string) => `abs(${a}.amount - ${b}.amount) <= greatest(?::numeric, abs(${a}.amount) * ?::numeric / 100)`;
const dateWithin = (a: string, b: string) => `(${a}.date is null or ${b}.date is null or abs(${a}.date - ${b}.date) <= ?::int)`;
const tol = (rule: RuleSnapshot) => [rule.amountToleranceAbs, rule.amountTolerancePct];

/**
 * Exact: equality of every field. The rows of both sides are hash-joined on the key and the join
 * hash-aggregated per key (no sort): the first row of each key on one side pairs with the first
 * of the other, so a duplicated row is left over for later passes (and, unmatched at the end,
 * reported as a duplicate). One aggregate over the join's output, not one per side before it.
 */
function exactPairs(ctx: PassContext, rule: RuleSnapshot, pass: string): PassSql {
  const cols = rule.fields.map((f) => COLUMN[f]);
  const key = cols.map((c) => `s.${c}`).join(', ');
  const on = cols.map((c) => `s.${c} = t.${c}`).join(' and ');
  const sql = `with
  p as materialized (
    select q.*, nextval('recon_match_id_seq') as mid
      from (select min(s.id) as sid, min(t.id) as tid, min(s.amount) - min(t.amount) as diff, 1.0::real as confidence
              from ${unmatched(ctx, 's', 'source')} join ${unmatched(ctx, 't', 'target')} on ${on}
             group by ${key} order by 1) q)${writePairs(ctx)}`;
  return { sql, params: [...sides(ctx), ...writeParams(ctx, rule, pass)] };
}

/**
 * Candidates (sid, tid, diff, days, score) of a non-exact rule, then the mutual best: each source
 * row's best candidate, kept when it is also the best for its target row.
 */
function bestPairs(ctx: PassContext, rule: RuleSnapshot, pass: string, candidates: string, candidateParams: unknown[]): PassSql {
  const sql = `with
  c as materialized (${candidates}),
  bs as (select distinct on (sid) sid, tid, diff, days, score from c order by sid, score desc, tid),
  bt as (select distinct on (tid) sid, tid, diff, days, score from bs order by tid, score desc, sid),
  p as materialized (select q.*, nextval('recon_match_id_seq') as mid from (select sid, tid, diff, score::real as confidence from bt order by sid) q)${writePairs(ctx)}`;
  return { sql, params: [...candidateParams, ...writeParams(ctx, rule, pass)] };
}

/** Equality on the rule's fields other than amount and date (the join key of range/fuzzy/regex). */
function keyJoin(rule: RuleSnapshot, exclude: MatchField[]): string {
  const cols = rule.fields.filter((f) => !exclude.includes(f) && f !== MatchField.AMOUNT && f !== MatchField.DATE).map((f) => COLUMN[f]);
  return cols.length ? cols.map((c) => `s.${c} = t.${c}`).join(' and ') : 'true';
}

function rangePairs(ctx: PassContext, rule: RuleSnapshot, pass: string): PassSql {
  const allowed = `greatest(?::numeric, abs(s.amount) * ?::numeric / 100)`;
  const candidates = `select s.id as sid, t.id as tid, s.amount - t.amount as diff, coalesce(abs(s.date - t.date), 0) as days,
      greatest(0.5, 0.99 - 0.3 * abs(s.amount - t.amount) / nullif(${allowed}, 0) - 0.1 * coalesce(abs(s.date - t.date), 0) / greatest(?::int, 1))
        as score
      from ${unmatched(ctx, 's', 'source')} join ${unmatched(ctx, 't', 'target')} on ${keyJoin(rule, [])}
     where ${amountWithin('s', 't')} and ${dateWithin('s', 't')}`;
  return bestPairs(ctx, rule, pass, candidates, [...tol(rule), rule.dateToleranceDays, ...sides(ctx), ...tol(rule), rule.dateToleranceDays]);
}

function fuzzyPairs(ctx: PassContext, rule: RuleSnapshot, pass: string): PassSql {
  const text = rule.fields.includes(MatchField.REFERENCE) ? 'reference' : 'description';
  const candidates = `select s.id as sid, t.id as tid, s.amount - t.amount as diff, coalesce(abs(s.date - t.date), 0) as days,
      similarity(s.${text}, t.${text}) as score
      from ${unmatched(ctx, 's', 'source')} join ${unmatched(ctx, 't', 'target')} on ${keyJoin(rule, [MatchField.REFERENCE, MatchField.DESCRIPTION])}
     where ${amountWithin('s', 't')} and ${dateWithin('s', 't')}
       and s.${text} % t.${text} and similarity(s.${text}, t.${text}) >= ?::real`;
  return bestPairs(ctx, rule, pass, candidates, [...sides(ctx), ...tol(rule), rule.dateToleranceDays, rule.similarityThreshold]);
}

/** The reference extracted from one side's description by the pattern equals the other side's reference. */
function regexPairs(ctx: PassContext, rule: RuleSnapshot, pass: string): PassSql {
  const candidates = `select s.id as sid, t.id as tid, s.amount - t.amount as diff, coalesce(abs(s.date - t.date), 0) as days, 0.9 as score
      from ${unmatched(ctx, 's', 'source')} join ${unmatched(ctx, 't', 'target')}
        on (substring(s.description from ?) = t.reference or substring(t.description from ?) = s.reference)
       and ${keyJoin(rule, [MatchField.REFERENCE, MatchField.DESCRIPTION])}
     where ${amountWithin('s', 't')} and ${dateWithin('s', 't')}`;
  return bestPairs(ctx, rule, pass, candidates, [...sides(ctx), rule.regexPattern, rule.regexPattern, ...tol(rule), rule.dateToleranceDays]);
}

/**
 * Inserts into recon_leftover the rows of the run no earlier statement matched (anti-join on the
 * members) that also pass `sourceLeft` / `targetLeft` (not matched by the current statement,
 * whose members it cannot see). Existing leftovers are kept (on conflict do nothing).
 */
function leftoverInsert(ctx: PassContext, sourceLeft: string, targetLeft: string): string {
  const full = { ...ctx, leftovers: false };
  return `insert into recon_leftover (job_id, row_id, organization_id, side, file_id, amount, date, reference, description, currency, channel)
    select ?::uuid, u.id, ?::uuid, 'source'::recon_side, u.file_id, u.amount, u.date, u.reference, u.description, u.currency, u.channel
      from ${unmatched(full, 'u', 'source')} where ${sourceLeft}
    union all
    select ?::uuid, u.id, ?::uuid, 'target'::recon_side, u.file_id, u.amount, u.date, u.reference, u.description, u.currency, u.channel
      from ${unmatched(full, 'u', 'target')} where ${targetLeft}
    on conflict do nothing`;
}

function leftoverParams(ctx: PassContext): unknown[] {
  return [ctx.jobId, ctx.organizationId, uuidArray(ctx.sourceFileIds), ctx.jobId, ctx.jobId, ctx.organizationId, uuidArray(ctx.targetFileIds), ctx.jobId];
}

export function pairPass(ctx: PassContext, rule: RuleSnapshot, pass: string): PassSql {
  switch (rule.type) {
    case MatchingRuleType.EXACT:
      return exactPairs(ctx, rule, pass);
    case MatchingRuleType.RANGE:
      return rangePairs(ctx, rule, pass);
    case MatchingRuleType.FUZZY:
      return fuzzyPairs(ctx, rule, pass);
    case MatchingRuleType.REGEX:
      return regexPairs(ctx, rule, pass);
  }
}

/**
 * Groups: several unmatched rows of one side with the same key (the rule's fields other than
 * amount and date; the reference when none) whose amounts add up, within tolerance, to one
 * unmatched row of the other side. `many` is the side holding the several rows.
 */
export function groupPass(ctx: PassContext, rule: RuleSnapshot, pass: string, many: 'source' | 'target'): PassSql {
  let cols = rule.fields.filter((f) => f !== MatchField.AMOUNT && f !== MatchField.DATE).map((f) => COLUMN[f]);
  if (!cols.length) cols = ['reference'];
  const one = many === 'source' ? 'target' : 'source';
  const type = many === 'source' ? 'many_to_one' : 'one_to_many';
  const manyFiles = many === 'source' ? ctx.sourceFileIds : ctx.targetFileIds;
  const oneFiles = many === 'source' ? ctx.targetFileIds : ctx.sourceFileIds;
  const sql = `with
  g as (select ${cols.map((c) => `u.${c}`).join(', ')}, array_agg(u.id order by u.id) as ids, sum(u.amount) as amount,
               min(u.date) as d0, max(u.date) as d1
          from ${unmatched(ctx, 'u', many)}
         where ${cols.map((c) => `u.${c} is not null`).join(' and ')}
         group by ${cols.map((c) => `u.${c}`).join(', ')} having count(*) > 1),
  c as (select g.ids, o.id as oid, g.amount - o.amount as diff
          from g join ${unmatched(ctx, 'o', one)} on ${cols.map((c) => `o.${c} = g.${c}`).join(' and ')}
         where abs(g.amount - o.amount) <= greatest(?::numeric, abs(o.amount) * ?::numeric / 100)
           and (o.date is null or g.d0 is null or (o.date - g.d0 <= ?::int and g.d1 - o.date <= ?::int))),
  bo as (select distinct on (oid) ids, oid, diff from c order by oid, abs(diff)),
  p as materialized (select distinct on (ids) ids, oid, diff, nextval('recon_match_id_seq') as mid from bo order by ids, abs(diff)),
  m as (insert into recon_match (id, organization_id, job_id, rule_id, pass, type, confidence, amount_difference)
        select mid, ?::uuid, ?::uuid, ?::uuid, ?, '${type}', 0.9, ${many === 'source' ? 'diff' : '-diff'} from p),
  x as (insert into recon_match_member (job_id, row_id, organization_id, match_id, side)
        select ?::uuid, unnest(ids), ?::uuid, mid, '${many}'::recon_side from p
        union all
        select ?::uuid, oid, ?::uuid, mid, '${one}'::recon_side from p)${ctx.leftovers ? `,
  d as (delete from recon_leftover l where l.job_id = ?::uuid and l.row_id in (select unnest(ids) from p union all select oid from p))` : ''}
  select count(*)::int as matches, (coalesce(sum(cardinality(ids)), 0) + count(*))::int as rows from p`;
  return {
    sql,
    params: [
      uuidArray(manyFiles), ctx.jobId,
      uuidArray(oneFiles), ctx.jobId,
      ...tol(rule), rule.dateToleranceDays, rule.dateToleranceDays,
      ...writeParams(ctx, rule, pass, 2),
    ],
  };
}

/**
 * Exceptions for every row of the run left unmatched, in one insert ... select: a duplicate when
 * the same side holds another row with the same reference, amount and date; otherwise judged
 * against the closest unmatched row of the other side with the same reference (amount or date
 * mismatch, timing difference within `timingDays`); with no such row, missing_entry — or
 * non_settlement for a source row when the target side holds settlement files. Severity grows
 * with the amount and the age. Existing exceptions are kept (on conflict do nothing).
 */
export function exceptionsPass(ctx: PassContext, opts: { timingDays: number; targetHasSettlement: boolean }): PassSql {
  const sql = `with
  u as materialized (
    select u.id, u.file_id, u.amount, u.date, u.reference, u.description, u.currency, 'source'::recon_side as side from ${unmatched(ctx, 'u', 'source')}
    union all
    select u.id, u.file_id, u.amount, u.date, u.reference, u.description, u.currency, 'target'::recon_side from ${unmatched(ctx, 'u', 'target')}),
  dup as (select distinct u.id from u join recon_row r2
            on r2.reference = u.reference and r2.amount = u.amount and r2.date is not distinct from u.date and r2.id < u.id
           and r2.file_id = any(case when u.side = 'source' then ?::uuid[] else ?::uuid[] end)),
  cp as (select distinct on (u.id) u.id, o.id as oid, u.amount - o.amount as diff, o.date - u.date as days
           from u join u o on o.reference = u.reference and o.side <> u.side
          order by u.id, abs(u.amount - o.amount), abs(coalesce(o.date - u.date, 0)), o.id),
  typed as (
    select u.*, cp.oid, cp.diff, cp.days,
      case
        when dup.id is not null then 'duplicate'
        when cp.oid is not null and cp.diff <> 0 then 'amount_mismatch'
        when cp.oid is not null and abs(coalesce(cp.days, 0)) <= ?::int then 'timing_difference'
        when cp.oid is not null then 'date_mismatch'
        when u.side = 'source' and ?::boolean then 'non_settlement'
        else 'missing_entry'
      end::recon_exception_type as type,
      greatest(
        case when abs(u.amount) >= 1000000 then 4 when abs(u.amount) >= 100000 then 3 when abs(u.amount) >= 10000 then 2 else 1 end,
        case when current_date - u.date > 30 then 3 when current_date - u.date > 7 then 2 else 1 end) as level
      from u left join dup on dup.id = u.id left join cp on cp.id = u.id),
  ins as (
    insert into recon_exception (id, created_at, updated_at, organization_id, job_id, row_id, side, counterpart_row_id, type, severity, status,
                                 amount, amount_difference, currency, transaction_date, reference, description, suggested_action, comments)
    select gen_random_uuid(), now(), now(), ?::uuid, ?::uuid, id, side, case when type = 'duplicate' then null else oid end, type,
           (array['low', 'medium', 'high', 'critical'])[level]::recon_exception_severity, 'open',
           amount, case when type = 'duplicate' then null else diff end, currency, date, reference,
           case type
             when 'duplicate' then 'Row ' || id || ' repeats another ' || side || ' row with the same reference, amount and date'
             when 'amount_mismatch' then 'Amount differs by ' || diff || ' from the ' || (case when side = 'source' then 'target' else 'source' end) || ' row with reference ' || reference
             when 'timing_difference' then 'Same reference and amount on the other side, dated ' || abs(coalesce(days, 0)) || ' day(s) apart'
             when 'date_mismatch' then 'Same reference and amount on the other side, but dates too far apart'
             when 'non_settlement' then 'No settlement entry for this transaction'
             else 'No entry on the other side for this row'
           end,
           case type
             when 'duplicate' then 'Check whether the transaction was booked twice; reverse the duplicate or ignore the exception'
             when 'amount_mismatch' then 'Compare both entries; post an adjustment for the difference or raise it with the counterparty'
             when 'timing_difference' then 'Wait for the next statement: it should clear on its own; resolve once it does'
             when 'date_mismatch' then 'Confirm the value dates with the counterparty and match manually if they are the same transaction'
             when 'non_settlement' then 'Chase the settlement with the scheme or acquirer; escalate if older than the settlement window'
             else 'Find the missing entry on the other side (later file, other account) or book it'
           end,
           '[]'::jsonb
      from typed
    on conflict (job_id, row_id) do nothing
    returning 1)
  select count(*)::int as inserted from ins`;
  return {
    sql,
    params: [
      uuidArray(ctx.sourceFileIds), ctx.jobId, uuidArray(ctx.targetFileIds), ctx.jobId,
      uuidArray(ctx.sourceFileIds), uuidArray(ctx.targetFileIds),
      opts.timingDays, opts.targetHasSettlement,
      ctx.organizationId, ctx.jobId,
    ],
  };
}
