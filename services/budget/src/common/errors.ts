import { ErrorCode, TollgateError } from '@tollgate/contracts';

/** LiteLLM's budget endpoints answer with HTTPException(400, {"error": ...}); the message is the text. */
export function badRequest(message: string, param: string | null = null): TollgateError {
  return new TollgateError(ErrorCode.BadRequest, message, { param });
}

export function notFound(message: string, param: string | null = null): TollgateError {
  return new TollgateError(ErrorCode.NotFound, message, { param });
}

export function unauthorized(message: string): TollgateError {
  return new TollgateError(ErrorCode.AuthInvalid, message);
}

export function unavailable(message: string): TollgateError {
  return new TollgateError(ErrorCode.DependencyUnavailable, message);
}
