import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { BudgetDelete, BudgetInfo, BudgetList, BudgetNew, BudgetRow, BudgetSettings, BudgetSettingsField, BudgetUpdate, ManagementRequest } from '@tollgate/contracts';
import { Rpc } from '@tollgate/messaging';
import { TiersService } from './tiers.service';

/** /budget/* forwarded by the gateway (BUDGET_HTTP_ROUTES). */
@Controller()
export class TiersHandler {
  constructor(private readonly tiers: TiersService) {}

  @Rpc(BudgetNew)
  create(@Payload() r: ManagementRequest): Promise<BudgetRow> {
    return this.tiers.create(r);
  }

  @Rpc(BudgetUpdate)
  update(@Payload() r: ManagementRequest): Promise<BudgetRow> {
    return this.tiers.update(r);
  }

  @Rpc(BudgetInfo)
  info(@Payload() r: ManagementRequest): Promise<BudgetRow[]> {
    return this.tiers.info(r);
  }

  @Rpc(BudgetList)
  list(@Payload() r: ManagementRequest): Promise<BudgetRow[]> {
    return this.tiers.list(r);
  }

  @Rpc(BudgetDelete)
  delete(@Payload() r: ManagementRequest): Promise<BudgetRow> {
    return this.tiers.delete(r);
  }

  @Rpc(BudgetSettings)
  settings(@Payload() r: ManagementRequest): Promise<BudgetSettingsField[]> {
    return this.tiers.settings(r);
  }
}
