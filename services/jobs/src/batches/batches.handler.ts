import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { BatchCancel, BatchCreate, BatchList, BatchRetrieve, JobsRequest, OpenAIBatchObject, OpenAIList } from '@tollgate/contracts';
import { Rpc } from '@tollgate/messaging';
import { BatchesService } from './batches.service';

/** /v1/batches, forwarded by the gateway. */
@Controller()
export class BatchesHandler {
  constructor(private readonly batches: BatchesService) {}

  @Rpc(BatchCreate)
  create(@Payload() r: JobsRequest): Promise<OpenAIBatchObject> {
    return this.batches.create(r);
  }

  @Rpc(BatchRetrieve)
  retrieve(@Payload() r: JobsRequest): Promise<OpenAIBatchObject> {
    return this.batches.retrieve(r);
  }

  @Rpc(BatchList)
  list(@Payload() r: JobsRequest): Promise<OpenAIList<OpenAIBatchObject>> {
    return this.batches.list(r);
  }

  @Rpc(BatchCancel)
  cancel(@Payload() r: JobsRequest): Promise<OpenAIBatchObject> {
    return this.batches.cancel(r);
  }
}
