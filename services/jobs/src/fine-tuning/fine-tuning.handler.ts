import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  FineTuningJobCancel, FineTuningJobCreate, FineTuningJobEvents, FineTuningJobList, FineTuningJobRetrieve, JobsRequest,
  OpenAIFineTuningEvent, OpenAIFineTuningJob, OpenAIList,
} from '@tollgate/contracts';
import { Rpc } from '@tollgate/messaging';
import { FineTuningService } from './fine-tuning.service';

/** /v1/fine_tuning/jobs, forwarded by the gateway. */
@Controller()
export class FineTuningHandler {
  constructor(private readonly jobs: FineTuningService) {}

  @Rpc(FineTuningJobCreate)
  create(@Payload() r: JobsRequest): Promise<OpenAIFineTuningJob> {
    return this.jobs.create(r);
  }

  @Rpc(FineTuningJobList)
  list(@Payload() r: JobsRequest): Promise<OpenAIList<OpenAIFineTuningJob>> {
    return this.jobs.list(r);
  }

  @Rpc(FineTuningJobRetrieve)
  retrieve(@Payload() r: JobsRequest): Promise<OpenAIFineTuningJob> {
    return this.jobs.retrieve(r);
  }

  @Rpc(FineTuningJobCancel)
  cancel(@Payload() r: JobsRequest): Promise<OpenAIFineTuningJob> {
    return this.jobs.cancel(r);
  }

  @Rpc(FineTuningJobEvents)
  events(@Payload() r: JobsRequest): Promise<OpenAIList<OpenAIFineTuningEvent>> {
    return this.jobs.events(r);
  }
}
