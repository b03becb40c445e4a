/**
 * The matching passes as set-based SQL. Every pass reads only the rows of the run's files that no
 * earlier pass matched (the first pass: the files' rows; the later ones: the leftovers the first
 * left, which each pass deletes as it matches them), finds its pairs or groups in one statement,
 * and writes the matches in sets of SET_SIZE (recon_match_set) with insert ... select. A pass
 * commits with its record in the job (run.service), so no pass runs twice. Values are bound as
 * parameters; identifiers come from a fixed whitelist.
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
   * from there (and delete what a pass matches) instead of the files' rows.
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

/** Matches per recon_match_set row; a match's id is its set's id × SET_SIZE + its place (0-based). */
export const SET_SIZE = 1000;

/**
 * The row ids of one side of match `u.i` (1-based) of set `s`: its slice of the side's flattened
 * ids (the one id at its place when the side has no ends).
 */
export const matchRowIds = (side: 'source' | 'target') =>
  `(case when s.${side}_ends is null then s.${side}_row_ids[u.i:u.i]
         else s.${side}_row_ids[coalesce(s.${side}_ends[u.i - 1], 0) + 1:s.${side}_ends[u.i]] end)`;

const uuidArray = (ids: string[]) => `{${ids.join(',')}}`;

/**
 * Rows of one side not matched yet in this run: before the leftovers exist, the side's files'
 * rows; after, the side's leftovers. Its `?` binds: sideBinds.
 */
const unmatched = (ctx: PassContext, alias: string, side: 'source' | 'target') =>
  ctx.leftovers
    ? `(select l.row_id as id, l.file_id, l.amount, l.date, l.reference, l.description, l.currency, l.channel
    from recon_leftover l
   where l.job_id = ?::uuid and l.side = '${side}') ${alias}`
    : `(select r.id, r.file_id, r.amount, r.date, r.reference, r.description, r.currency, r.channel
    from recon_row r
   where r.file_id = any(?::uuid[])) ${alias}`;

const sideBinds = (ctx: PassContext, side: 'source' | 'target') =>
  ctx.leftovers ? [ctx.jobId] : [uuidArray(side === 'source' ? ctx.sourceFileIds : ctx.targetFileIds)];

const sides = (ctx: PassContext) => [...sideBinds(ctx, 'source'), ...sideBinds(ctx, 'target')];

/** The unmatched rows of both sides in one relation `u`, with `src` true on the source side. Binds: bothBinds. */
const bothSides = (ctx: PassContext) =>
  ctx.leftovers
    ? `(select l.row_id as id, l.side = 'source' as src, l.file_id, l.amount, l.date, l.reference, l.description, l.currency, l.channel
    from recon_leftover l
   where l.job_id = ?::uuid) u`
    : `(select r.id, r.file_id = any(?::uuid[]) as src, r.file_id, r.amount, r.date, r.reference, r.description, r.currency, r.channel
    from recon_row r
   where r.file_id = any(?::uuid[])) u`;

const bothBinds = (ctx: PassContext) =>
  ctx.leftovers ? [ctx.jobId] : [uuidArray(ctx.sourceFileIds), uuidArray([...ctx.sourceFileIds, ...ctx.targetFileIds])];

/** The pass's result line, from the sets it wrote (`ms`): matches, rows matched, the range of the sets' ids. */
const PASS_RESULT = `select coalesce(sum(match_count), 0)::int as matches, coalesce(sum(rows), 0)::int as rows, min(id) as first_id, max(id) as last_id from ms`;
const RETURNING = 'returning id, match_count, cardinality(source_row_ids) + cardinality(target_row_ids) as rows';

const LEFTOVER_COLUMNS = 'job_id, row_id, organization_id, side, file_id, amount, date, reference, description, currency, channel';
const leftoverValues = `?::uuid, u.id, ?::uuid, (case when u.src then 'source' else 'target' end)::recon_side,
           u.file_id, u.amount, u.date, u.reference, u.description, u.currency, u.channel`;

/**
 * The first pass's record of what it leaves: the run's rows (one scan of its files) that are not
 * in the pass's pairs `p`. Binds: job, organization, bothBinds.
 */
const leftoverInsert = (ctx: PassContext) => `insert into recon_leftover (${LEFTOVER_COLUMNS})
    select ${leftoverValues}
      from ${bothSides(ctx)}
     where not exists (select 1 from (select sid as id from p union all select tid from p) pm where pm.id = u.id)`;

/**
 * The tail shared by every pair pass: the matches of `p` (sid, tid, diff, confidence), numbered
 * as they come (sorting a million would cost more than the rest), go in sets of SET_SIZE: the
 * arrays of a set line up because every aggregate of a group takes its rows in the same order.
 * Their rows come off the leftovers, or the first pass records what it leaves (`leftovers`: its
 * own statement for it, else the generic one).
 */
const writePairs = (ctx: PassContext, leftovers = leftoverInsert(ctx)) => `,
  n as (select p.*, row_number() over () - 1 as i from p),
  ms as (insert into recon_match_set (organization_id, job_id, rule_id, type, match_count, confidences, amount_differences, source_row_ids, target_row_ids)
         select ?::uuid, ?::uuid, ?::uuid, 'one_to_one', count(*), array_agg(confidence), array_agg(diff), array_agg(sid), array_agg(tid)
           from n group by i / ${SET_SIZE} ${RETURNING})${ctx.leftovers ? `,
  d as (delete from recon_leftover l where l.job_id = ?::uuid and l.row_id in (select sid from p union all select tid from p))` : ''}${ctx.recordLeftovers ? `,
  lo as (${leftovers})` : ''}
  ${PASS_RESULT}`;

/**
 * Binds of the sets' insert, then of the leftovers delete, or of the leftovers insert
 * (`leftoverBinds`: those of the generic one unless the pass has its own).
 */
function writeParams(ctx: PassContext, rule: RuleSnapshot, leftoverBinds = [ctx.jobId, ctx.organizationId, ...bothBinds(ctx)]): unknown[] {
  const params: unknown[] = [ctx.organizationId, ctx.jobId, rule.id];
  if (ctx.leftovers) params.push(ctx.jobId);
  if (ctx.recordLeftovers) params.push(...leftoverBinds);
  return params;
}

/** Amount within the rule's tolerance: |a - b| <= max(absolute, pct% of |a|). */
const amountWithin = (a: string, b: string) => `abs(${a}.amount - ${b}.amount) <= greatest(?::numeric, abs(${a}.amount) * ?::numeric / 100)`;
const dateWithin = (a: string, b: string) => `(${a}.date is null or ${b}.date is null or abs(${a}.date - ${b}.date) <= ?::int)`;
const tol = (rule: RuleSnapshot) => [rule.amountToleranceAbs, rule.amountTolerancePct];

/**
 * Exact: equality of every field. The unmatched rows of both sides are grouped by the key in one
 * aggregate (one scan, no join): a key with rows on both sides pairs its first source row with
 * its first target row, so a duplicated row is left over for later passes (and, unmatched at the
 * end, reported as a duplicate); a row with an empty key field is a group of its own and matches
 * nothing. The same groups give the first pass what it leaves by id (fetched on the primary key,
 * not found by comparing every row with the pairs): the rows of keys on one side only and the
 * second rows of duplicated keys, from each group's first and last ids; only keys held three
 * times or more on a side are looked up by key, read off their first row (a scan that does not
 * run when there are none). The groups keep no key columns: that much less to hold.
 */
function exactPairs(ctx: PassContext, rule: RuleSnapshot): PassSql {
  const cols = rule.fields.map((f) => COLUMN[f]);
  const key = cols.map((c) => `u.${c}`).join(', ');
  const anyNull = cols.map((c) => `u.${c} is null`).join(' or ');
  const diff = cols.includes('amount') ? '0::numeric' : 'min(u.amount) filter (where u.src) - min(u.amount) filter (where not u.src)';
  const sql = `with
  g as materialized (
    select min(u.id) filter (where u.src) as sid, min(u.id) filter (where not u.src) as tid,
           max(u.id) filter (where u.src) as sid2, max(u.id) filter (where not u.src) as tid2,
           count(*) filter (where u.src) as ns, count(*) as n, ${diff} as diff
      from ${bothSides(ctx)}
     group by ${key}, case when ${anyNull} then u.id end),
  p as (select sid, tid, diff, 1.0::real as confidence from g where sid is not null and tid is not null)${ctx.recordLeftovers ? `,
  lid as (select id from (
            select unnest(array[
              case when sid is null or tid is null then coalesce(sid, tid) end,
              case when (sid is null or tid is null) and n = 2 then coalesce(sid2, tid2) end,
              case when sid is not null and tid is not null and ns = 2 then sid2 end,
              case when sid is not null and tid is not null and n - ns = 2 then tid2 end]) as id
              from g where (sid is null or tid is null or n > 2) and ns <= 2 and n - ns <= 2) x
          where id is not null),
  many as (select sid, tid, coalesce(sid, tid) as any_id from g where ns > 2 or n - ns > 2)` : ''}${writePairs(ctx, `insert into recon_leftover (${LEFTOVER_COLUMNS})
    select ${leftoverValues}
      from (select r.id, r.file_id = any(?::uuid[]) as src, r.file_id, r.amount, r.date, r.reference, r.description, r.currency, r.channel
              from recon_row r where r.id = any(array(select id from lid))) u
    union all
    select ${leftoverValues}
      from ${bothSides(ctx)}
     where exists (select 1 from many)
       and (${key}) in (select ${cols.map((c) => `r.${c}`).join(', ')} from recon_row r where r.id = any(array(select any_id from many)))
       and u.id not in (select sid from many where sid is not null and tid is not null
                        union all select tid from many where sid is not null and tid is not null)`)}`;
  const leftoverBinds = [ctx.jobId, ctx.organizationId, uuidArray(ctx.sourceFileIds), ctx.jobId, ctx.organizationId, ...bothBinds(ctx)];
  return { sql, params: [...bothBinds(ctx), ...writeParams(ctx, rule, leftoverBinds)] };
}

/**
 * Candidates (sid, tid, diff, days, score) of a non-exact rule, then the mutual best: each source
 * row's best candidate, kept when it is also the best for its target row.
 */
function bestPairs(ctx: PassContext, rule: RuleSnapshot, candidates: string, candidateParams: unknown[]): PassSql {
  const sql = `with
  c as materialized (${candidates}),
  bs as (select distinct on (sid) sid, tid, diff, days, score from c order by sid, score desc, tid),
  bt as (select distinct on (tid) sid, tid, diff, days, score from bs order by tid, score desc, sid),
  p as (select sid, tid, diff, score::real as confidence from bt)${writePairs(ctx)}`;
  return { sql, params: [...candidateParams, ...writeParams(ctx, rule)] };
}

/** Equality on the rule's fields other than amount and date (the join key of range/fuzzy/regex). */
function keyJoin(rule: RuleSnapshot, exclude: MatchField[]): string {
  const cols = rule.fields.filter((f) => !exclude.includes(f) && f !== MatchField.AMOUNT && f !== MatchField.DATE).map((f) => COLUMN[f]);
  return cols.length ? cols.map((c) => `s.${c} = t.${c}`).join(' and ') : 'true';
}

function rangePairs(ctx: PassContext, rule: RuleSnapshot): PassSql {
  const allowed = `greatest(?::numeric, abs(s.amount) * ?::numeric / 100)`;
  const candidates = `select s.id as sid, t.id as tid, s.amount - t.amount as diff, coalesce(abs(s.date - t.date), 0) as days,
      greatest(0.5, 0.99 - 0.3 * abs(s.amount - t.amount) / nullif(${allowed}, 0) - 0.1 * coalesce(abs(s.date - t.date), 0) / greatest(?::int, 1))
        as score
      from ${unmatched(ctx, 's', 'source')} join ${unmatched(ctx, 't', 'target')} on ${keyJoin(rule, [])}
     where ${amountWithin('s', 't')} and ${dateWithin('s', 't')}`;
  return bestPairs(ctx, rule, candidates, [...tol(rule), rule.dateToleranceDays, ...sides(ctx), ...tol(rule), rule.dateToleranceDays]);
}

function fuzzyPairs(ctx: PassContext, rule: RuleSnapshot): PassSql {
  const text = rule.fields.includes(MatchField.REFERENCE) ? 'reference' : 'description';
  const candidates = `select s.id as sid, t.id as tid, s.amount - t.amount as diff, coalesce(abs(s.date - t.date), 0) as days,
      similarity(s.${text}, t.${text}) as score
      from ${unmatched(ctx, 's', 'source')} join ${unmatched(ctx, 't', 'target')} on ${keyJoin(rule, [MatchField.REFERENCE, MatchField.DESCRIPTION])}
     where ${amountWithin('s', 't')} and ${dateWithin('s', 't')}
       and s.${text} % t.${text} and similarity(s.${text}, t.${text}) >= ?::real`;
  return bestPairs(ctx, rule, candidates, [...sides(ctx), ...tol(rule), rule.dateToleranceDays, rule.similarityThreshold]);
}

/** The reference extracted from one side's description by the pattern equals the other side's reference. */
function regexPairs(ctx: PassContext, rule: RuleSnapshot): PassSql {
  const candidates = `select s.id as sid, t.id as tid, s.amount - t.amount as diff, coalesce(abs(s.date - t.date), 0) as days, 0.9 as score
      from ${unmatched(ctx, 's', 'source')} join ${unmatched(ctx, 't', 'target')}
        on (substring(s.description from ?) = t.reference or substring(t.description from ?) = s.reference)
       and ${keyJoin(rule, [MatchField.REFERENCE, MatchField.DESCRIPTION])}
     where ${amountWithin('s', 't')} and ${dateWithin('s', 't')}`;
  return bestPairs(ctx, rule, candidates, [...sides(ctx), rule.regexPattern, rule.regexPattern, ...tol(rule), rule.dateToleranceDays]);
}

export function pairPass(ctx: PassContext, rule: RuleSnapshot): PassSql {
  switch (rule.type) {
    case MatchingRuleType.EXACT:
      return exactPairs(ctx, rule);
    case MatchingRuleType.RANGE:
      return rangePairs(ctx, rule);
    case MatchingRuleType.FUZZY:
      return fuzzyPairs(ctx, rule);
    case MatchingRuleType.REGEX:
      return regexPairs(ctx, rule);
  }
}

/**
 * Groups: several unmatched rows of one side with the same key (the rule's fields other than
 * amount and date; the reference when none) whose amounts add up, within tolerance, to one
 * unmatched row of the other side. `many` is the side holding the several rows.
 */
export function groupPass(ctx: PassContext, rule: RuleSnapshot, many: 'source' | 'target'): PassSql {
  let cols = rule.fields.filter((f) => f !== MatchField.AMOUNT && f !== MatchField.DATE).map((f) => COLUMN[f]);
  if (!cols.length) cols = ['reference'];
  const one = many === 'source' ? 'target' : 'source';
  const type = many === 'source' ? 'many_to_one' : 'one_to_many';
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
  p as materialized (select distinct on (ids) ids, oid, diff from bo order by ids, abs(diff)),
  n as (select p.*, row_number() over (order by oid) - 1 as i from p),
  e as (select n.*, (sum(cardinality(ids)) over (partition by i / ${SET_SIZE} order by i))::int as e from n),
  f as (select n.i / ${SET_SIZE} as b, array_agg(x.id order by n.i, x.o) as flat
          from n cross join lateral unnest(n.ids) with ordinality as x(id, o) group by 1),
  s as (select i / ${SET_SIZE} as b, count(*)::int as c, array_agg(0.9::real order by i) as confidences,
               array_agg(${many === 'source' ? 'diff' : '-diff'} order by i) as diffs, array_agg(oid order by i) as ones, array_agg(e order by i) as ends
          from e group by 1),
  ms as (insert into recon_match_set (organization_id, job_id, rule_id, type, match_count, confidences, amount_differences, source_row_ids, target_row_ids, source_ends, target_ends)
         select ?::uuid, ?::uuid, ?::uuid, '${type}', s.c, s.confidences, s.diffs, ${many === 'source' ? 'f.flat, s.ones, s.ends, null' : 's.ones, f.flat, null, s.ends'}
           from s join f using (b) ${RETURNING})${ctx.leftovers ? `,
  d as (delete from recon_leftover l where l.job_id = ?::uuid and l.row_id in (select unnest(ids) from p union all select oid from p))` : ''}
  ${PASS_RESULT}`;
  return {
    sql,
    params: [...sideBinds(ctx, many), ...sideBinds(ctx, one), ...tol(rule), rule.dateToleranceDays, rule.dateToleranceDays, ...writeParams(ctx, rule)],
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
      ...sides(ctx),
      uuidArray(ctx.sourceFileIds), uuidArray(ctx.targetFileIds),
      opts.timingDays, opts.targetHasSettlement,
      ctx.organizationId, ctx.jobId,
    ],
  };
}
