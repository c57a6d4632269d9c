/**
 * Error codes shared by every service. They travel over NATS as `{ code, message, status }` and the
 * gateway maps them to the OpenAI error body in one place.
 */
export enum ErrorCode {
  BadRequest = 'bad_request',
  InvalidJson = 'invalid_json',
  MissingParam = 'missing_param',
  UnknownModel = 'unknown_model',
  PayloadTooLarge = 'payload_too_large',
  AuthMissing = 'auth_missing',
  AuthInvalid = 'auth_invalid',
  TokenNotFound = 'token_not_found_in_db',
  ExpiredKey = 'expired_key',
  KeyModelAccessDenied = 'key_model_access_denied',
  TeamModelAccessDenied = 'team_model_access_denied',
  UserModelAccessDenied = 'user_model_access_denied',
  BudgetExceeded = 'budget_exceeded',
  Forbidden = 'forbidden',
  NotFound = 'not_found',
  RateLimited = 'rate_limited',
  ContextWindowExceeded = 'context_window_exceeded',
  UpstreamBadRequest = 'upstream_bad_request',
  UpstreamError = 'upstream_error',
  UpstreamTimeout = 'upstream_timeout',
  DependencyUnavailable = 'dependency_unavailable',
  Internal = 'internal',
}

/** What crosses a service boundary when a call fails. */
export interface RpcErrorBody {
  code: ErrorCode;
  message: string;
  status: number;
  param?: string | null;
}

/** An error a service can throw; its body is what the caller sees. */
export class TollgateError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly param: string | null;
  /** extra response headers (e.g. retry-after) */
  readonly headers: Readonly<Record<string, string>>;

  constructor(code: ErrorCode, message: string, opts: { status?: number; param?: string | null; headers?: Record<string, string> } = {}) {
    // these are answers (401, 429, 400…), not bugs: capturing a stack for each one cost ~7% of the
    // gateway's CPU under a stream of refused requests, and no one reads them
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
    this.name = 'TollgateError';
    this.code = code;
    this.status = opts.status ?? defaultStatus(code);
    this.param = opts.param ?? null;
    this.headers = opts.headers ?? {};
  }

  toBody(): RpcErrorBody {
    return { code: this.code, message: this.message, status: this.status, param: this.param };
  }

  static fromBody(body: RpcErrorBody): TollgateError {
    return new TollgateError(body.code, body.message, { status: body.status, param: body.param });
  }
}

export function isRpcErrorBody(value: unknown): value is RpcErrorBody {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.code === 'string' && typeof v.message === 'string' && typeof v.status === 'number';
}

export function defaultStatus(code: ErrorCode): number {
  switch (code) {
    case ErrorCode.BadRequest:
    case ErrorCode.InvalidJson:
    case ErrorCode.MissingParam:
    case ErrorCode.UnknownModel:
    case ErrorCode.ContextWindowExceeded:
    case ErrorCode.UpstreamBadRequest:
    case ErrorCode.ExpiredKey:
    case ErrorCode.BudgetExceeded:
      return 400;
    case ErrorCode.AuthMissing:
    case ErrorCode.AuthInvalid:
    case ErrorCode.TokenNotFound:
    case ErrorCode.KeyModelAccessDenied:
    case ErrorCode.TeamModelAccessDenied:
    case ErrorCode.UserModelAccessDenied:
      return 401;
    case ErrorCode.Forbidden:
      return 403;
    case ErrorCode.NotFound:
      return 404;
    case ErrorCode.PayloadTooLarge:
      return 413;
    case ErrorCode.RateLimited:
      return 429;
    case ErrorCode.Internal:
      return 500;
    case ErrorCode.UpstreamError:
      return 502;
    case ErrorCode.DependencyUnavailable:
      return 503;
    case ErrorCode.UpstreamTimeout:
      return 504;
  }
}
