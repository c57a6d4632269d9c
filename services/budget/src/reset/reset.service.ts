import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from '@tollgate/config';
import { nextResetAt, parseDuration } from '@tollgate/limits';
import { LOGGER } from '../budget.options';
import { RedisProjection } from '../projection/redis-projection';
import { SpendRepository } from '../spend/spend.repository';
import { TiersRepository } from '../tiers/tiers.repository';

/** Usage events older than the USAGE stream's retention can no longer be redelivered. */
const PROCESSED_RETENTION_MS = 8 * 24 * 3600 * 1000;

function next(duration: string, now: Date): Date | null {
  const d = parseDuration(duration);
  return d ? nextResetAt(d, now) : null;
}

/**
 * LiteLLM's ResetBudgetJob: every entity (key, user, team, member, tier, key+model) whose
 * budget_reset_at has passed goes back to 0 and gets its next standardized reset time. The rows
 * are claimed with FOR UPDATE SKIP LOCKED and the condition `budget_reset_at <= now` moves on in
 * the same transaction, so each period resets once however many runs or replicas overlap.
 */
@Injectable()
export class ResetService {
  constructor(
    private readonly spend: SpendRepository,
    private readonly tiers: TiersRepository,
    private readonly projection: RedisProjection,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async runOnce(now = new Date()): Promise<number> {
    let total = 0;
    for (;;) {
      const rows = await this.spend.transaction(async (m) => {
        const reset = await this.spend.resetDue(m, now, next);
        if (total === 0) {
          await this.tiers.advanceResets(m, now, next);
          await this.spend.pruneProcessed(m, new Date(now.getTime() - PROCESSED_RETENTION_MS));
        }
        return reset;
      });
      if (rows.length === 0) break;
      await this.projection.setTotals(rows);
      total += rows.length;
    }
    if (total > 0) this.logger.info({ reset: total }, 'budgets reset');
    return total;
  }
}
