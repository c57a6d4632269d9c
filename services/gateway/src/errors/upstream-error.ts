import { ErrorCode, TollgateError } from '@tollgate/contracts';
import { ProviderErrorInfo } from '../providers/provider';

/** An error the provider answered with; keeps the provider's type/param so clients see them. */
export class UpstreamHttpError extends TollgateError {
  constructor(
    readonly upstreamStatus: number,
    readonly info: ProviderErrorInfo,
    provider: string,
    modelGroup: string,
  ) {
    super(statusCode(upstreamStatus), `${prefix(upstreamStatus)}: ${provider}Exception - ${info.message}\nReceived Model Group=${modelGroup}`, {
      status: mappedStatus(upstreamStatus),
      param: info.param,
    });
  }
}

function statusCode(s: number): ErrorCode {
  if (s === 429) return ErrorCode.RateLimited;
  if (s === 401 || s === 403) return ErrorCode.UpstreamError;
  if (s >= 400 && s < 500) return ErrorCode.UpstreamBadRequest;
  return ErrorCode.UpstreamError;
}

/** provider 4xx pass through with their status; 5xx become 502 (the upstream failed, not us) */
function mappedStatus(s: number): number {
  if (s >= 400 && s < 500) return s;
  return 502;
}

function prefix(s: number): string {
  if (s === 429) return 'litellm.RateLimitError';
  if (s === 401) return 'litellm.AuthenticationError';
  if (s === 403) return 'litellm.PermissionDeniedError';
  if (s === 404) return 'litellm.NotFoundError';
  if (s === 408) return 'litellm.Timeout';
  if (s >= 400 && s < 500) return 'litellm.BadRequestError';
  if (s === 503) return 'litellm.ServiceUnavailableError';
  return 'litellm.InternalServerError';
}
