import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { SpendLogRow, SpendLogsQuery, SpendLogsQueryRequest } from '@tollgate/contracts';
import { Rpc } from '@tollgate/messaging';
import { parseSpendLogsQuery } from './spend-logs.query';
import { SpendLogsService } from './spend-logs.service';

/** `GET /spend/logs`, forwarded by the gateway. */
@Controller()
export class SpendLogsHandler {
  constructor(private readonly service: SpendLogsService) {}

  @Rpc(SpendLogsQuery)
  query(@Payload() request: SpendLogsQueryRequest): Promise<SpendLogRow[]> {
    return this.service.find(parseSpendLogsQuery(request));
  }
}
