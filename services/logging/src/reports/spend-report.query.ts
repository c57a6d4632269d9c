import {
  ErrorCode, SPEND_REPORT_GROUPS, SpendLogsSummaryRequest, SpendReportGroupBy, SpendReportRequest, TollgateError,
} from '@tollgate/contracts';
import { bad, DAY_MS, optionalString, parseDate } from '../spend-logs/spend-logs.query';

/** A whole-day UTC range: [from, to), `to` being the midnight after the end day. */
export interface DayRange {
  from: Date;
  to: Date;
}

export interface SummaryFilter extends DayRange {
  apiKey?: string;
  userId?: string;
  teamId?: string;
  requestId?: string;
}

export interface ReportFilter extends DayRange {
  groupBy: SpendReportGroupBy;
  apiKey?: string;
  userId?: string;
  teamId?: string;
  customerId?: string;
}

/** Ten years of days: beyond that a per-day answer is a mistake, not a report. */
const MAX_DAYS = 3660;

function asObject(input: unknown, what: string): Record<string, unknown> {
  if (input === undefined || input === null) return {};
  if (typeof input !== 'object' || Array.isArray(input)) throw new TollgateError(ErrorCode.BadRequest, `${what} must be an object`);
  return input as Record<string, unknown>;
}

/** start_date and end_date are required; both are read as UTC days, the end day inclusive. */
function parseDayRange(req: Record<string, unknown>): DayRange {
  const startRaw = optionalString(req, 'start_date');
  const endRaw = optionalString(req, 'end_date');
  if (startRaw === undefined) throw bad('start_date', 'start_date is required (YYYY-MM-DD)');
  if (endRaw === undefined) throw bad('end_date', 'end_date is required (YYYY-MM-DD)');
  const from = utcDay(parseDate('start_date', startRaw).start);
  const to = new Date(utcDay(parseDate('end_date', endRaw).start).getTime() + DAY_MS);
  if (to.getTime() <= from.getTime()) throw bad('end_date', 'end_date must not be before start_date');
  if ((to.getTime() - from.getTime()) / DAY_MS > MAX_DAYS) throw bad('end_date', `the range may span at most ${MAX_DAYS} days`);
  return { from, to };
}

function utcDay(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
}

export function parseSummaryRequest(input: SpendLogsSummaryRequest | null | undefined): SummaryFilter {
  const req = asObject(input, 'spend logs summary request');
  return {
    ...parseDayRange(req),
    apiKey: optionalString(req, 'api_key'),
    userId: optionalString(req, 'user_id'),
    teamId: optionalString(req, 'team_id'),
    requestId: optionalString(req, 'request_id'),
  };
}

export function parseReportRequest(input: SpendReportRequest | null | undefined): ReportFilter {
  const req = asObject(input, 'spend report request');
  const apiKey = optionalString(req, 'api_key');
  const userId = optionalString(req, 'internal_user_id');
  const raw = optionalString(req, 'group_by');
  if (raw !== undefined && !(SPEND_REPORT_GROUPS as readonly string[]).includes(raw)) {
    throw bad('group_by', `group_by must be one of ${SPEND_REPORT_GROUPS.join(', ')}`);
  }
  // LiteLLM answers a key or user report per key
  const groupBy = (raw as SpendReportGroupBy | undefined) ?? (apiKey !== undefined || userId !== undefined ? 'api_key' : 'team');
  return {
    ...parseDayRange(req),
    groupBy,
    apiKey,
    userId,
    teamId: optionalString(req, 'team_id'),
    customerId: optionalString(req, 'customer_id'),
  };
}
