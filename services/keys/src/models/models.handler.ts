import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ManagementRequest, ModelDelete, ModelDeleteResponse, ModelInfo, ModelInfoResponse, ModelNew, ModelRow, ModelUpdate } from '@tollgate/contracts';
import { Rpc } from '@tollgate/messaging';
import { ModelsService } from './models.service';

/** /model/* forwarded by the gateway. */
@Controller()
export class ModelsHandler {
  constructor(private readonly models: ModelsService) {}

  @Rpc(ModelNew)
  create(@Payload() r: ManagementRequest): Promise<ModelRow> {
    return this.models.create(r);
  }

  @Rpc(ModelInfo)
  info(@Payload() r: ManagementRequest): Promise<ModelInfoResponse> {
    return this.models.info(r);
  }

  @Rpc(ModelUpdate)
  update(@Payload() r: ManagementRequest): Promise<ModelRow> {
    return this.models.update(r);
  }

  @Rpc(ModelDelete)
  delete(@Payload() r: ManagementRequest): Promise<ModelDeleteResponse> {
    return this.models.delete(r);
  }
}
