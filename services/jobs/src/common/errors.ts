import { ErrorCode, TollgateError } from '@tollgate/contracts';

export function badRequest(message: string, param: string | null = null): TollgateError {
  return new TollgateError(ErrorCode.BadRequest, message, { param });
}

export function notFound(message: string, param: string | null = null): TollgateError {
  return new TollgateError(ErrorCode.NotFound, message, { param });
}

export function unavailable(message: string): TollgateError {
  return new TollgateError(ErrorCode.DependencyUnavailable, message);
}
