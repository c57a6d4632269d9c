import { Inject, Injectable } from '@nestjs/common';
import type { BudgetRow, SoftBudgetCrossedPayload, StandardLoggingPayload } from '@tollgate/contracts';
import type { Logger } from '@tollgate/config';
import { EntityRef, picoToDollars } from '@tollgate/limits';
import { LOGGER } from '../budget.options';
import { AlertsPublisher } from '../alerts/alerts.publisher';
import { RedisProjection } from '../projection/redis-projection';
import { TiersRepository } from '../tiers/tiers.repository';
import { attribute, Charge, ChargedEvent } from './attribution';
import { KeyContextResolver, UNKNOWN } from './key-context.resolver';
import { Increment, ScheduleUpdate, SpendRepository } from './spend.repository';

const RETRYABLE = new Set(['40P01', '40001']);

/**
 * Applies usage events to spend, exactly once: the events' ids go into `processed_events` in the
 * same transaction as the increments they cause (a redelivered id inserts nothing and adds
 * nothing); Redis is updated after the commit from the committed rows (versioned, so idempotent);
 * the batch is acked only after all that. A crash at any point leaves Postgres either with the
 * whole batch or none of it, and Redis catches up on the redelivery or the next rebuild.
 */
@Injectable()
export class SpendService {
  constructor(
    private readonly repo: SpendRepository,
    private readonly tiers: TiersRepository,
    private readonly keys: KeyContextResolver,
    private readonly projection: RedisProjection,
    private readonly alerts: AlertsPublisher,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async applyBatch(events: StandardLoggingPayload[]): Promise<void> {
    const now = new Date();
    const hashes = events.map((e) => e.metadata?.user_api_key_hash).filter((h): h is string => typeof h === 'string' && h !== '');
    const [contexts, tierRows] = await Promise.all([this.keys.resolveMany(hashes), this.tiers.all()]);
    const tiers = new Map<string, BudgetRow>(tierRows.map((t) => [t.budget_id, t]));
    const charged: ChargedEvent[] = [];
    const seen = new Set<string>();
    for (const e of events) {
      if (!e || typeof e.id !== 'string' || seen.has(e.id)) continue;
      seen.add(e.id);
      const ctx = e.metadata?.user_api_key_hash ? contexts.get(e.metadata.user_api_key_hash) : null;
      const c = attribute(e, ctx === UNKNOWN || ctx === undefined ? null : ctx, tiers, now);
      if (c) charged.push(c);
    }
    if (charged.length === 0) return;
    let alertsRaised = false;
    for (let attempt = 1; ; attempt++) {
      try {
        alertsRaised = await this.commit(charged, tiers, now);
        break;
      } catch (e) {
        const code = (e as { code?: string }).code;
        if (attempt >= 3 || !code || !RETRYABLE.has(code)) throw e;
      }
    }
    // what Postgres holds for every entity of the batch, new and replayed alike
    await this.projection.syncEntities(await this.repo.processedEntities(charged.map((c) => c.requestId)));
    if (alertsRaised) await this.alerts.publishPending();
  }

  /** One transaction; returns whether a soft-budget alert was raised. */
  private async commit(charged: ChargedEvent[], tiers: ReadonlyMap<string, BudgetRow>, now: Date): Promise<boolean> {
    return this.repo.transaction(async (m) => {
      const fresh = await this.repo.markProcessed(
        m,
        charged.map((c) => ({ requestId: c.requestId, costPico: c.costPico, entities: c.charges.map((x): EntityRef => ({ type: x.type, id: x.id })) })),
      );
      const inc = new Map<string, Increment>();
      const schedules = new Map<string, ScheduleUpdate>();
      const soft = new Map<string, Charge>();
      for (const c of charged) {
        if (!fresh.has(c.requestId)) continue;
        for (const x of c.charges) {
          const k = `${x.type}\u0000${x.id}`;
          const cur = inc.get(k);
          if (cur) cur.deltaPico += c.costPico;
          else inc.set(k, { type: x.type, id: x.id, deltaPico: c.costPico, budgetId: x.budgetId });
          if (x.schedule !== 'unknown') schedules.set(k, { type: x.type, id: x.id, duration: x.schedule.duration, resetAt: x.schedule.resetAt });
          if (x.softBudgetPico !== null) soft.set(k, x);
        }
      }
      if (inc.size === 0) return false;
      const rows = await this.repo.increment(m, [...inc.values()]);
      await this.repo.setSchedules(m, [...schedules.values()]);
      const crossed: EntityRef[] = [];
      const payloads: { id: string; payload: SoftBudgetCrossedPayload }[] = [];
      for (const r of rows) {
        const s = soft.get(`${r.entity_type}\u0000${r.entity_id}`);
        if (!s || s.softBudgetPico === null || r.soft_budget_alerted || BigInt(r.spend_pico) < s.softBudgetPico) continue;
        const alertId = `soft_budget:${r.entity_type}:${r.entity_id}:${new Date(r.period_start).getTime()}`;
        const tier = s.budgetId ? tiers.get(s.budgetId) : undefined;
        crossed.push({ type: r.entity_type, id: r.entity_id });
        payloads.push({
          id: alertId,
          payload: {
            event: 'soft_budget_crossed', alert_id: alertId, entity_type: r.entity_type, entity_id: r.entity_id, budget_id: s.budgetId,
            spend: picoToDollars(r.spend_pico), soft_budget: picoToDollars(s.softBudgetPico), max_budget: tier?.max_budget ?? null, crossed_at: now.toISOString(),
          },
        });
      }
      await this.repo.markSoftAlerted(m, crossed, payloads);
      if (payloads.length) this.logger.info({ alerts: payloads.map((p) => p.id) }, 'soft budget crossed');
      return payloads.length > 0;
    });
  }
}
