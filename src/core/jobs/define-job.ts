/**
 * Typed job definitions. A domain declares each job once, in src/jobs/<domain>/<verb-noun>.job.ts:
 *
 *   export const sendMessageJob = defineJob<SendMessagePayload>({
 *     name: 'send-message', attempts: 5, backoff: { delayMs: 2000 },
 *     async run(ctx, payload, progress) { ... },
 *   });
 *
 * Job effects must be idempotent: a job may run again after a crash or a retry (BullMQ delivers
 * at least once), so a second run must change nothing twice (check-then-write, upserts,
 * deletes by condition, or a key the provider deduplicates on).
 */
import type { RequestContext } from '../context/request-context';

export type ProgressReporter = (percent: number) => Promise<void>;

export interface JobDefinition<Payload = unknown, Result = unknown> {
  name: string;
  /**
   * A system job runs without a tenant (platform maintenance); its context's database sees no
   * tenant rows, so it fans out one tenant job per organization for tenant tables.
   */
  system: boolean;
  /** Total tries, the first included. */
  attempts: number;
  /** Exponential backoff: the n-th retry waits delayMs × 2^(n-1). */
  backoff: { delayMs: number };
  /** A short, secret-free summary of the payload for the background_job record. */
  summarize?: (payload: Payload) => Record<string, unknown>;
  run(ctx: RequestContext, payload: Payload, progress: ProgressReporter): Promise<Result>;
}

export type JobInput<Payload, Result> = Omit<JobDefinition<Payload, Result>, 'system'> & { system?: boolean };

const NAME = /^[a-z][a-z0-9-]{1,62}$/;

export function defineJob<Payload = Record<string, never>, Result = unknown>(input: JobInput<Payload, Result>): JobDefinition<Payload, Result> {
  if (!NAME.test(input.name)) throw new Error(`Job name "${input.name}" must be kebab-case (a-z, 0-9, -)`);
  if (!Number.isInteger(input.attempts) || input.attempts < 1) throw new Error(`Job ${input.name}: attempts must be a positive integer`);
  if (!(input.backoff.delayMs >= 0)) throw new Error(`Job ${input.name}: backoff.delayMs must be >= 0`);
  return { ...input, system: input.system ?? false };
}

export type AnyJob = JobDefinition<any, any>;

/** The jobs one process can run, by name; a name registered twice is a mistake. */
export class JobRegistry {
  private readonly byName = new Map<string, AnyJob>();

  constructor(jobs: readonly AnyJob[] = []) {
    for (const job of jobs) this.add(job);
  }

  add(job: AnyJob): void {
    const existing = this.byName.get(job.name);
    if (existing && existing !== job) throw new Error(`Two jobs are named ${job.name}`);
    this.byName.set(job.name, job);
  }

  get(name: string): AnyJob | undefined {
    return this.byName.get(name);
  }

  all(): AnyJob[] {
    return [...this.byName.values()];
  }
}
