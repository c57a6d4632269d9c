import { ErrorCode, TollgateError } from '@tollgate/contracts';

export function badRequest(message: string, param: string | null = null): TollgateError {
  return new TollgateError(ErrorCode.BadRequest, message, { param });
}

/** LiteLLM answers a few malformed requests with FastAPI's 422 */
export function unprocessable(message: string, param: string | null = null): TollgateError {
  return new TollgateError(ErrorCode.BadRequest, message, { status: 422, param });
}

export function conflict(message: string, param: string | null = null): TollgateError {
  return new TollgateError(ErrorCode.BadRequest, message, { status: 409, param });
}

export function forbidden(message: string): TollgateError {
  return new TollgateError(ErrorCode.Forbidden, message);
}

export function unauthorized(message: string): TollgateError {
  return new TollgateError(ErrorCode.AuthInvalid, message);
}

export function notFound(message: string, param: string | null = null): TollgateError {
  return new TollgateError(ErrorCode.NotFound, message, { param });
}
