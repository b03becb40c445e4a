/**
 * Liveness and readiness endpoints over the HealthRegistry (bodies documented there):
 * GET /health answers without I/O while the process serves; /health/ready runs every check;
 * /health/<name> runs one.
 */
import type { Express } from 'express';
import type { HealthRegistry } from '../observability/health';

export function mountHealthRoutes(app: Express, health: HealthRegistry): void {
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/health/ready', async (_req, res) => {
    const result = await health.checkAll();
    res.status(result.status === 'ok' ? 200 : 503).json(result);
  });
  app.get('/health/:component', async (req, res) => {
    const component = req.params.component;
    if (!health.has(component)) {
      res.status(404).json({ status: 'unknown', component, error: `no health check registered for "${component}"`, registered: health.names() });
      return;
    }
    const result = await health.check(component);
    res.status(result.status === 'ok' ? 200 : 503).json(result);
  });
}
