import { ErrorCode, SpendLogsQueryRequest, TollgateError } from '@tollgate/contracts';

/** A validated `/spend/logs` query, ready for the repository. */
export interface SpendLogsFilter {
  requestId?: string;
  apiKey?: string;
  userId?: string;
  teamId?: string;
  from?: Date;
  to?: { at: Date; inclusive: boolean };
  limit: number;
  offset: number;
}

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)?$/i;
export const DAY_MS = 24 * 3600 * 1000;

export function bad(param: string, message: string): TollgateError {
  return new TollgateError(ErrorCode.BadRequest, message, { param });
}

export function optionalString(req: Record<string, unknown>, param: string): string | undefined {
  const v = req[param];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') throw bad(param, `${param} must be a string`);
  return v;
}

function optionalInt(req: Record<string, unknown>, param: string, min: number, max: number, fallback: number): number {
  const v = req[param];
  if (v === undefined || v === null || v === '') return fallback;
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
    throw bad(param, `${param} must be an integer between ${min} and ${max}`);
  }
  return n;
}

/** `YYYY-MM-DD` is a whole UTC day; a timestamp without a zone is read as UTC. */
export function parseDate(param: string, raw: string): { start: Date; day: boolean } {
  const day = DAY.exec(raw);
  if (day) {
    const [y, m, d] = [Number(day[1]), Number(day[2]), Number(day[3])];
    const ms = Date.UTC(y, m - 1, d);
    const back = new Date(ms);
    // rejects 2024-02-30, which Date.UTC would roll over into March
    if (back.getUTCFullYear() !== y || back.getUTCMonth() !== m - 1 || back.getUTCDate() !== d) {
      throw bad(param, `${param} is not a valid date: "${raw}" (expected YYYY-MM-DD)`);
    }
    return { start: back, day: true };
  }
  if (TIMESTAMP.test(raw)) {
    const zoned = /(Z|[+-]\d{2}(:?\d{2})?)$/i.test(raw.slice(10)) ? raw : `${raw}Z`;
    const ms = Date.parse(zoned.replace(' ', 'T'));
    if (Number.isFinite(ms)) return { start: new Date(ms), day: false };
  }
  throw bad(param, `${param} is not a valid date: "${raw}" (expected YYYY-MM-DD or an ISO 8601 timestamp)`);
}

/** Validates a SpendLogsQuery request; errors are BadRequest naming the field. */
export function parseSpendLogsQuery(input: SpendLogsQueryRequest | null | undefined): SpendLogsFilter {
  if (input !== undefined && input !== null && (typeof input !== 'object' || Array.isArray(input))) {
    throw new TollgateError(ErrorCode.BadRequest, 'spend logs query must be an object');
  }
  const req = (input ?? {}) as Record<string, unknown>;
  const filter: SpendLogsFilter = {
    requestId: optionalString(req, 'request_id'),
    apiKey: optionalString(req, 'api_key'),
    userId: optionalString(req, 'user_id'),
    teamId: optionalString(req, 'team_id'),
    limit: optionalInt(req, 'limit', 1, MAX_LIMIT, DEFAULT_LIMIT),
    offset: optionalInt(req, 'offset', 0, Number.MAX_SAFE_INTEGER, 0),
  };
  const startRaw = optionalString(req, 'start_date');
  const endRaw = optionalString(req, 'end_date');
  if (startRaw !== undefined) filter.from = parseDate('start_date', startRaw).start;
  if (endRaw !== undefined) {
    const end = parseDate('end_date', endRaw);
    // an end day is inclusive: everything before the next midnight
    filter.to = end.day ? { at: new Date(end.start.getTime() + DAY_MS), inclusive: false } : { at: end.start, inclusive: true };
  }
  if (filter.from && filter.to && filter.from.getTime() >= filter.to.at.getTime() + (filter.to.inclusive ? 1 : 0)) {
    throw bad('end_date', `end_date must not be before start_date`);
  }
  return filter;
}
