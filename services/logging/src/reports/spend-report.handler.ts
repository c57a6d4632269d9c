import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  SpendLogsDaySummary, SpendLogsSummary, SpendLogsSummaryRequest, SpendReport, SpendReportReply, SpendReportRequest,
} from '@tollgate/contracts';
import { Rpc } from '@tollgate/messaging';
import { parseReportRequest, parseSummaryRequest } from './spend-report.query';
import { SpendReportService } from './spend-report.service';

/** `GET /spend/logs?summarize=true` and `GET /global/spend/report`, forwarded by the gateway. */
@Controller()
export class SpendReportHandler {
  constructor(private readonly service: SpendReportService) {}

  @Rpc(SpendLogsSummary)
  summary(@Payload() request: SpendLogsSummaryRequest): Promise<SpendLogsDaySummary[]> {
    return this.service.summary(parseSummaryRequest(request));
  }

  @Rpc(SpendReport)
  report(@Payload() request: SpendReportRequest): Promise<SpendReportReply> {
    return this.service.report(parseReportRequest(request));
  }
}
