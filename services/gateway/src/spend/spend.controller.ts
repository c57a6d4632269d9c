import { Controller, Get, Headers, Inject, Query } from '@nestjs/common';
import { ErrorCode, SpendLogsQuery, SpendLogsQueryRequest, TollgateError } from '@tollgate/contracts';
import { GATEWAY_RUNTIME, GatewayRuntime } from '../runtime';
import { HeaderBag, sha256Hex } from '../auth/auth.service';

const FILTERS = ['request_id', 'api_key', 'user_id', 'team_id', 'start_date', 'end_date'] as const;

/** `GET /spend/logs`: answered by the logging service over NATS. */
@Controller()
export class SpendController {
  constructor(@Inject(GATEWAY_RUNTIME) private readonly rt: GatewayRuntime) {}

  @Get('spend/logs')
  async logs(@Headers() headers: HeaderBag, @Query() query: Record<string, unknown>) {
    const auth = await this.rt.auth.authenticate(headers);
    if (!auth.isAdmin) throw new TollgateError(ErrorCode.Forbidden, 'Only proxy admins can read spend logs', { status: 403 });
    const req: SpendLogsQueryRequest = {};
    for (const f of FILTERS) {
      const v = query[f];
      if (v === undefined) continue;
      if (typeof v !== 'string') throw new TollgateError(ErrorCode.BadRequest, `${f} must be given once, as a string`, { status: 400, param: f });
      req[f] = v;
    }
    // a raw virtual key is hashed here: only hashes are stored
    if (req.api_key?.startsWith('sk-')) req.api_key = sha256Hex(req.api_key);
    for (const f of ['limit', 'offset'] as const) {
      if (query[f] === undefined) continue;
      const n = Number(query[f]);
      if (!Number.isInteger(n) || n < 0) throw new TollgateError(ErrorCode.BadRequest, `${f} must be a non-negative integer`, { status: 400, param: f });
      req[f] = n;
    }
    return this.rt.bus.request(SpendLogsQuery, req, { timeoutMs: 10_000 });
  }
}
