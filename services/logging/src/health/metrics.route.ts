import type { HealthRoute } from '@tollgate/service';
import type { Registry } from 'prom-client';

/** GET /metrics on the probes' port: the service's Prometheus registry, 503 until it exists. */
export function metricsRoute(registry: () => Registry | undefined): HealthRoute {
  return async () => {
    // main.ts serves the probes before the service has started: no metrics yet then
    const reg = registry();
    if (!reg) return { status: 503, body: { error: 'not started' } };
    return { status: 200, body: await reg.metrics(), contentType: reg.contentType };
  };
}
