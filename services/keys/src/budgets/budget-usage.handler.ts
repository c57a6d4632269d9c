import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { DataSource } from 'typeorm';
import { KeysBudgetUsage } from '@tollgate/contracts';
import { Rpc } from '@tollgate/messaging';
import { Tables } from '../common/sql';

/** The budget service asks before deleting a tier: how many keys still point at it (keys own keys.budget_id). */
@Controller()
export class BudgetUsageHandler {
  constructor(private readonly ds: DataSource, private readonly t: Tables) {}

  @Rpc(KeysBudgetUsage)
  async usage(@Payload() r: { budget_id: string }): Promise<{ count: number }> {
    const rows: { n: string }[] = await this.ds.query(`SELECT count(*)::text AS n FROM ${this.t.keys} WHERE "budget_id" = $1`, [String(r?.budget_id ?? '')]);
    return { count: Number(rows[0]?.n ?? 0) };
  }
}
