import { Controller, Get, Headers, Inject, Query } from '@nestjs/common';
import {
  ErrorCode, SpendLogsQuery, SpendLogsQueryRequest, SpendLogsSummary, SpendLogsSummaryRequest, SpendReport, SpendReportRequest, TollgateError,
} from '@tollgate/contracts';
import { GATEWAY_RUNTIME, GatewayRuntime } from '../runtime';
import { HeaderBag, sha256Hex } from '../auth/auth.service';

function strings(query: Record<string, unknown>, names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of names) {
    const v = query[f];
    if (v === undefined) continue;
    if (typeof v !== 'string') throw new TollgateError(ErrorCode.BadRequest, `${f} must be given once, as a string`, { status: 400, param: f });
    out[f] = v;
  }
  // a raw virtual key is hashed here: only hashes are stored
  if (out.api_key?.startsWith('sk-')) out.api_key = sha256Hex(out.api_key);
  return out;
}

function required(q: Record<string, string>, f: string): string {
  if (!q[f]) throw new TollgateError(ErrorCode.MissingParam, `${f} is required (YYYY-MM-DD)`, { status: 400, param: f });
  return q[f];
}

/** Spend reads, answered by the logging service over NATS; proxy admins only. */
@Controller()
export class SpendController {
  constructor(@Inject(GATEWAY_RUNTIME) private readonly rt: GatewayRuntime) {}

  private async admin(headers: HeaderBag): Promise<void> {
    const auth = await this.rt.auth.authenticate(headers);
    if (!auth.isAdmin) throw new TollgateError(ErrorCode.Forbidden, 'Only proxy admins can read spend logs', { status: 403 });
  }

  /**
   * Rows, newest first, with filters and paging; `summarize=true` (with start_date and end_date)
   * gives LiteLLM's per-day totals instead. Newer LiteLLM summarizes by default whenever both dates
   * are given; Tollgate returns rows unless asked, so date-filtered paging keeps working.
   */
  @Get('spend/logs')
  async logs(@Headers() headers: HeaderBag, @Query() query: Record<string, unknown>) {
    await this.admin(headers);
    const q = strings(query, ['request_id', 'api_key', 'user_id', 'team_id', 'start_date', 'end_date', 'summarize', 'limit', 'offset']);
    if (q.summarize === 'true') {
      const req: SpendLogsSummaryRequest = { start_date: required(q, 'start_date'), end_date: required(q, 'end_date') };
      for (const f of ['api_key', 'user_id', 'team_id', 'request_id'] as const) if (q[f]) req[f] = q[f];
      return this.rt.bus.request(SpendLogsSummary, req, { timeoutMs: 15_000 });
    }
    const req: SpendLogsQueryRequest = {};
    for (const f of ['request_id', 'api_key', 'user_id', 'team_id', 'start_date', 'end_date'] as const) if (q[f]) req[f] = q[f];
    for (const f of ['limit', 'offset'] as const) {
      if (q[f] === undefined) continue;
      const n = Number(q[f]);
      if (!Number.isInteger(n) || n < 0) throw new TollgateError(ErrorCode.BadRequest, `${f} must be a non-negative integer`, { status: 400, param: f });
      req[f] = n;
    }
    return this.rt.bus.request(SpendLogsQuery, req, { timeoutMs: 10_000 });
  }

  /** Totals grouped by team (default), customer, api_key, model or day. */
  @Get('global/spend/report')
  async report(@Headers() headers: HeaderBag, @Query() query: Record<string, unknown>) {
    await this.admin(headers);
    const q = strings(query, ['start_date', 'end_date', 'group_by', 'api_key', 'internal_user_id', 'team_id', 'customer_id']);
    const req: SpendReportRequest = { start_date: required(q, 'start_date'), end_date: required(q, 'end_date') };
    if (q.group_by) req.group_by = q.group_by as SpendReportRequest['group_by'];
    for (const f of ['api_key', 'internal_user_id', 'team_id', 'customer_id'] as const) if (q[f]) req[f] = q[f];
    return this.rt.bus.request(SpendReport, req, { timeoutMs: 15_000 });
  }
}
