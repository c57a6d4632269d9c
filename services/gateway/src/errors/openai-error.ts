import { ErrorCode, TollgateError } from '@tollgate/contracts';

/** `{"error":{"message","type","param","code"}}`: the only error body the gateway sends. */
export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string };
}

/**
 * The one place an error code becomes an HTTP status and an OpenAI error `type`. `code` in the body
 * is the HTTP status as a string, as LiteLLM sends it; `type` follows OpenAI's vocabulary (LiteLLM
 * often sends null there; a typed value is what clients switch on).
 */
export function errorType(code: ErrorCode): string {
  switch (code) {
    case ErrorCode.BadRequest:
    case ErrorCode.InvalidJson:
    case ErrorCode.MissingParam:
    case ErrorCode.UnknownModel:
    case ErrorCode.PayloadTooLarge:
    case ErrorCode.ContextWindowExceeded:
    case ErrorCode.UpstreamBadRequest:
      return 'invalid_request_error';
    case ErrorCode.AuthMissing:
    case ErrorCode.AuthInvalid:
      return 'auth_error';
    // LiteLLM's ProxyErrorTypes, so clients that switch on them keep working
    case ErrorCode.TokenNotFound:
    case ErrorCode.ExpiredKey:
    case ErrorCode.KeyModelAccessDenied:
    case ErrorCode.TeamModelAccessDenied:
    case ErrorCode.UserModelAccessDenied:
    case ErrorCode.BudgetExceeded:
      return code;
    case ErrorCode.Forbidden:
      return 'permission_error';
    case ErrorCode.NotFound:
      return 'not_found_error';
    case ErrorCode.RateLimited:
      return 'rate_limit_error';
    case ErrorCode.UpstreamError:
    case ErrorCode.UpstreamTimeout:
      return 'api_error';
    case ErrorCode.DependencyUnavailable:
      return 'service_unavailable';
    case ErrorCode.Internal:
      return 'internal_server_error';
  }
}

export function toOpenAIError(err: TollgateError, typeOverride?: string | null): OpenAIErrorBody {
  return {
    error: {
      message: err.message,
      type: typeOverride ?? errorType(err.code),
      param: err.param,
      code: String(err.status),
    },
  };
}

/** Anything that is not a TollgateError becomes a generic 500: never a stack trace, never a secret. */
export function asTollgateError(e: unknown): TollgateError {
  if (e instanceof TollgateError) return e;
  return new TollgateError(ErrorCode.Internal, 'Internal server error');
}
