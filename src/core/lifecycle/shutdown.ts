/**
 * Graceful shutdown as ordered phases others hook into:
 *   listeners    stop accepting and drain: HTTP server, WebSocket server (within the drain timeout)
 *   work         let running jobs finish and stop workers (within the drain timeout)
 *   connections  close ORM pools, Redis clients
 *   database     stop the embedded PostgreSQL
 * Hooks of one phase run concurrently; a phase starts when the previous one has finished. A hook
 * that fails or overruns is logged and the sequence goes on, so the database is always closed.
 */
import type { Logger } from '../observability/logger';

export const SHUTDOWN_PHASES = ['listeners', 'work', 'connections', 'database'] as const;
export type ShutdownPhase = (typeof SHUTDOWN_PHASES)[number];

/** Phases after the drain get this long per hook. */
const CLOSE_TIMEOUT_MS = 10_000;

interface Hook {
  phase: ShutdownPhase;
  name: string;
  run: () => Promise<void>;
}

export class ShutdownSequence {
  private readonly hooks: Hook[] = [];
  private running?: Promise<boolean>;

  constructor(
    private readonly log: Logger,
    /** How long the drain phases (listeners, work) may take together. */
    readonly drainTimeoutMs: number,
  ) {}

  hook(phase: ShutdownPhase, name: string, run: () => Promise<void>): void {
    if (this.running) throw new Error(`Shutdown has started: cannot add "${name}"`);
    this.hooks.push({ phase, name, run });
  }

  get started(): boolean {
    return this.running !== undefined;
  }

  /** For entry points: SIGINT/SIGTERM run the sequence, then exit 0 (or 1 when a step failed or overran). */
  exitOnSignals(): void {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.on(signal, () => void this.run(signal).then((ok) => process.exit(ok ? 0 : 1)));
    }
  }

  /** Runs once (later calls share the first run); resolves false when a hook failed or overran. */
  run(reason: string): Promise<boolean> {
    this.running ??= this.runPhases(reason);
    return this.running;
  }

  private async runPhases(reason: string): Promise<boolean> {
    const started = Date.now();
    const drainDeadline = started + this.drainTimeoutMs;
    this.log.info({ reason }, 'shutdown started');
    let ok = true;
    for (const phase of SHUTDOWN_PHASES) {
      const budget = phase === 'listeners' || phase === 'work' ? Math.max(drainDeadline - Date.now(), 0) + 1000 : CLOSE_TIMEOUT_MS;
      const results = await Promise.all(this.hooks.filter((h) => h.phase === phase).map((h) => this.runHook(h, budget)));
      ok &&= results.every(Boolean);
    }
    this.log.info({ reason, ok, durationMs: Date.now() - started }, 'shutdown finished');
    return ok;
  }

  private async runHook(hook: Hook, budgetMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        hook.run(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`did not finish within ${budgetMs} ms`)), budgetMs);
        }),
      ]);
      return true;
    } catch (err) {
      this.log.error({ err, phase: hook.phase, hook: hook.name }, 'shutdown step failed');
      return false;
    } finally {
      clearTimeout(timer);
    }
  }
}
