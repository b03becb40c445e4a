/** Shared pieces of the job tests: test-only job definitions, ids of seeded rows, waiting on a job. */
import { Client } from 'pg';
import type { Queue } from 'bullmq';
import { createJobContext, type AppDeps, type RequestContext } from '../../src/core/context/request-context';
import { defineJob } from '../../src/core/jobs';
import { DomainError } from '../../src/core/errors';
import { Membership } from '../../src/entities/tenancy/membership.entity';

/** Runs and attempt start times per test tag, observed in this process (the workers run here). */
export const runs = new Map<string, number[]>();
const note = (tag: string) => runs.set(tag, [...(runs.get(tag) ?? []), Date.now()]);

/** Reports what the job's context can see: the organizations of membership rows (RLS only, no where). */
export const probeJob = defineJob<{ tag: string; otherMembershipId?: string }, { orgIds: string[]; otherVisible: boolean; actorId: string | null }>({
  name: 'test-probe',
  attempts: 1,
  backoff: { delayMs: 0 },
  summarize: (p) => ({ tag: p.tag }),
  async run(ctx, payload, progress) {
    note(payload.tag);
    const trx = await ctx.db.trx();
    const { rows } = await trx.raw<{ rows: { id: string }[] }>('select distinct organization_id::text as id from tenancy_membership');
    await progress(50);
    const other = payload.otherMembershipId ? await ctx.loaders.byId(Membership, payload.otherMembershipId) : null;
    return { orgIds: rows.map((r) => r.id), otherVisible: other !== null, actorId: ctx.db.userId ?? null };
  },
});

/** Fails every attempt: a domain error (its message is safe to show) or an internal one (masked). */
export const failingJob = defineJob<{ tag: string; domain: boolean }>({
  name: 'test-failing',
  attempts: 3,
  backoff: { delayMs: 100 },
  async run(_ctx, payload) {
    note(payload.tag);
    if (payload.domain) throw new DomainError('CONFLICT', 'Upstream refused the request');
    throw new Error('connection to 10.0.0.7 refused, password=hunter2');
  },
});

export const countingJob = defineJob<{ tag: string }>({
  name: 'test-counting',
  attempts: 1,
  backoff: { delayMs: 0 },
  async run(_ctx, payload) {
    note(payload.tag);
    return { ran: true };
  },
});

export const testJobs = [probeJob, failingJob, countingJob];

export async function ownerQuery<T = Record<string, unknown>>(ownerUrl: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

export async function seededIds(ownerUrl: string) {
  const orgs = await ownerQuery<{ id: string; slug: string }>(ownerUrl, 'select id, slug from tenancy_organization');
  const users = await ownerQuery<{ id: string; email: string }>(ownerUrl, 'select id, email from identity_user');
  const org = (slug: string) => orgs.find((o) => o.slug === slug)!.id;
  const user = (email: string) => users.find((u) => u.email === email)!.id;
  return { org, user };
}

/** A context acting for `tenantId`/`actorId`, as a mutation or a job has. Finish its db to commit. */
export const actingContext = (app: AppDeps, tenantId: string | null, actorId: string | null): RequestContext =>
  createJobContext(app, { tenantId, actorId, jobId: `test-${Math.random().toString(36).slice(2)}` });

/** Waits for a queue job to finish; returns it and its final state. */
export async function waitForJob(queue: Queue, jobId: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await queue.getJobState(jobId);
    // Read the job after its state says finished, so its result and failure reason are there.
    if (state === 'completed' || state === 'failed') return { job: (await queue.getJob(jobId))!, state };
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${state} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
