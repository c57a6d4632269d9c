import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { BudgetRow } from '@tollgate/contracts';
import type { Logger } from '@tollgate/config';
import { EntityRef, LimitsStore, SpendTotal, TierDefinition } from '@tollgate/limits';
import { LOGGER } from '../budget.options';
import { SpendRepository, TotalRow } from '../spend/spend.repository';
import { TiersRepository } from '../tiers/tiers.repository';

export function tierDefinition(row: BudgetRow): TierDefinition {
  return {
    budget_id: row.budget_id,
    max_budget: row.max_budget,
    soft_budget: row.soft_budget,
    max_parallel_requests: row.max_parallel_requests,
    tpm_limit: row.tpm_limit,
    rpm_limit: row.rpm_limit,
    budget_duration: row.budget_duration,
    model_max_budget: (row.model_max_budget ?? {}) as Record<string, unknown>,
  };
}

export function spendTotal(r: TotalRow): SpendTotal {
  return { entity: { type: r.entity_type, id: r.entity_id }, spend: BigInt(r.spend_pico), version: Number(r.version) };
}

/**
 * Redis is a projection of Postgres: tiers as written, spend totals with their row version (a
 * write only lands when newer, so replays, replicas racing and rebuilds converge). The epoch
 * marker is set after a full rebuild; when it is gone (Redis flushed or failed over empty) the
 * next check rebuilds everything.
 */
@Injectable()
export class RedisProjection {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;

  constructor(
    private readonly store: LimitsStore,
    private readonly spend: SpendRepository,
    private readonly tiers: TiersRepository,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  writeTier(row: BudgetRow): Promise<void> {
    return this.store.writeTier(tierDefinition(row)).catch((e: Error) => {
      this.logger.warn({ err: e, budget_id: row.budget_id }, 'tier not written to Redis; the periodic sync will retry');
    });
  }

  deleteTier(id: string): Promise<void> {
    return this.store.deleteTier(id).catch((e: Error) => {
      this.logger.warn({ err: e, budget_id: id }, 'tier not deleted from Redis');
    });
  }

  async setTotals(rows: TotalRow[]): Promise<void> {
    if (rows.length) await this.store.setSpend(rows.map(spendTotal));
  }

  /** Projects the committed totals of these entities (whatever this process did or did not write before). */
  async syncEntities(refs: EntityRef[]): Promise<void> {
    const unique = new Map(refs.map((r) => [`${r.type}\u0000${r.id}`, r]));
    await this.setTotals(await this.spend.totals([...unique.values()]));
  }

  /** Every tier and every total into Redis, then the epoch marker. */
  async rebuild(): Promise<number> {
    for (const row of await this.tiers.all()) await this.store.writeTier(tierDefinition(row));
    let after: { type: string; id: string } | null = null;
    let count = 0;
    for (;;) {
      const page = await this.spend.page(after, 2000);
      if (page.length === 0) break;
      await this.setTotals(page);
      count += page.length;
      const last = page[page.length - 1];
      after = { type: last.entity_type, id: last.entity_id };
    }
    await this.store.markComplete(randomUUID());
    return count;
  }

  /** Checks the marker every `everyMs` (rebuilds when it is gone) and re-syncs the tiers. */
  start(everyMs: number, onTick?: () => Promise<void>): void {
    const tick = async (): Promise<void> => {
      if (!(await this.store.isComplete())) {
        const n = await this.rebuild();
        this.logger.warn({ totals: n }, 'Redis had lost the spend projection; rebuilt from Postgres');
      } else {
        for (const row of await this.tiers.all()) await this.store.writeTier(tierDefinition(row));
      }
      await onTick?.();
    };
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = tick()
        .catch((e: Error) => this.logger.warn({ err: e }, 'projection check failed'))
        .finally(() => (this.running = null));
    }, everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
