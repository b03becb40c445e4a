/**
 * Readiness checks by component. Core registers `db`; the queue and storage modules register
 * `queue` and `storage` when they start. Answers (see src/core/http/health-routes.ts):
 *   GET /health/<name>  200 { status: 'ok', component, durationMs }
 *                       503 { status: 'error', component, error }   the check failed or timed out
 *                       404 { status: 'unknown', component, error } nothing registered under that name
 *   GET /health/ready   every registered check: 200 when all pass, else 503 naming the failing ones.
 */
export type HealthCheck = () => Promise<void>;

export interface HealthResult {
  component: string;
  status: 'ok' | 'error';
  durationMs: number;
  error?: string;
}

export class HealthRegistry {
  private readonly checks = new Map<string, HealthCheck>();

  constructor(private readonly timeoutMs = 3000) {}

  register(name: string, check: HealthCheck): void {
    if (!/^[a-z][a-z0-9-]*$/.test(name) || name === 'ready') throw new Error(`Invalid health check name "${name}"`);
    if (this.checks.has(name)) throw new Error(`Health check "${name}" is registered already`);
    this.checks.set(name, check);
  }

  has(name: string): boolean {
    return this.checks.has(name);
  }

  names(): string[] {
    return [...this.checks.keys()];
  }

  async check(name: string): Promise<HealthResult> {
    const check = this.checks.get(name);
    if (!check) throw new Error(`No health check "${name}"`);
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        check(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`timed out after ${this.timeoutMs} ms`)), this.timeoutMs);
        }),
      ]);
      return { component: name, status: 'ok', durationMs: elapsed(started) };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      return { component: name, status: 'error', durationMs: elapsed(started), error: message.slice(0, 300) };
    } finally {
      clearTimeout(timer);
    }
  }

  async checkAll(): Promise<{ status: 'ok' | 'error'; failing: string[]; components: HealthResult[] }> {
    const components = await Promise.all(this.names().map((n) => this.check(n)));
    const failing = components.filter((c) => c.status === 'error').map((c) => c.component);
    return { status: failing.length ? 'error' : 'ok', failing, components };
  }
}

const elapsed = (since: number) => Math.round((performance.now() - since) * 10) / 10;
