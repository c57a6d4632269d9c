import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { BudgetSpendGet, SpendEntityQuery, SpendEntityTotal } from '@tollgate/contracts';
import { ENTITY_TYPES, EntityType, picoToDollars } from '@tollgate/limits';
import { Rpc } from '@tollgate/messaging';
import { badRequest } from '../common/errors';
import { SpendRepository } from './spend.repository';

/** budget.spend.get: current totals from Postgres (the source of truth; entities never charged answer 0). */
@Controller()
export class SpendHandler {
  constructor(private readonly repo: SpendRepository) {}

  @Rpc(BudgetSpendGet)
  async get(@Payload() r: { entities: SpendEntityQuery[] }): Promise<SpendEntityTotal[]> {
    const wanted = Array.isArray(r?.entities) ? r.entities : [];
    for (const e of wanted) {
      if (!ENTITY_TYPES.includes(e?.type as EntityType) || typeof e.id !== 'string') throw badRequest('entities: [{type, id}] with type one of ' + ENTITY_TYPES.join(', '));
    }
    const rows = await this.repo.totals(wanted.map((e) => ({ type: e.type as EntityType, id: e.id })));
    const byKey = new Map(rows.map((x) => [`${x.entity_type}\u0000${x.entity_id}`, x]));
    return wanted.map((e) => {
      const x = byKey.get(`${e.type}\u0000${e.id}`);
      return {
        type: e.type,
        id: e.id,
        spend: x ? picoToDollars(x.spend_pico) : 0,
        spend_pico: x?.spend_pico ?? '0',
        budget_duration: x?.budget_duration ?? null,
        budget_reset_at: x?.budget_reset_at ? new Date(x.budget_reset_at).toISOString() : null,
      };
    });
  }
}
