import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ErrorCode, TollgateError } from '@tollgate/contracts';
import { asTollgateError, toOpenAIError } from './openai-error';

/** Whatever a route throws leaves as an OpenAI error body; unknown errors are logged, not shown. */
@Catch()
export class OpenAIErrorFilter implements ExceptionFilter {
  constructor(private readonly log: { error: (obj: object, msg: string) => void }, private readonly maxBodyBytes: number) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    let err: TollgateError;
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      err = new TollgateError(status === 404 ? ErrorCode.NotFound : status === 413 ? ErrorCode.PayloadTooLarge : ErrorCode.BadRequest, exception.message, { status });
    } else if (isFastifyError(exception)) {
      err = fastifyErrorToTollgate(exception, this.maxBodyBytes);
    } else {
      err = asTollgateError(exception);
      if (err !== exception) this.log.error({ err: (exception as Error)?.stack }, 'unhandled error');
    }
    if (reply.sent) return;
    void reply.code(err.status).headers(err.headers).header('content-type', 'application/json').send(JSON.stringify(toOpenAIError(err)));
  }
}

function isFastifyError(e: unknown): e is { statusCode?: number; code?: string; message: string } {
  if (!(e instanceof Error)) return false;
  const f = e as { statusCode?: unknown; code?: unknown };
  return typeof f.statusCode === 'number' || (typeof f.code === 'string' && f.code.startsWith('FST_'));
}

/** Fastify's own errors (body parsing, size limit) before a route runs. */
export function fastifyErrorToTollgate(error: { statusCode?: number; code?: string; message: string }, maxBodyBytes: number): TollgateError {
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || error.statusCode === 413) {
    return new TollgateError(ErrorCode.PayloadTooLarge, `Request body is larger than the limit of ${maxBodyBytes} bytes (general_settings.max_request_size_mb)`, { status: 413 });
  }
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || error.statusCode === 415) {
    return new TollgateError(ErrorCode.BadRequest, 'Unsupported Content-Type: send the body as application/json', { status: 415 });
  }
  if (error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
    return new TollgateError(ErrorCode.InvalidJson, 'Request body is empty: expected a JSON object', { status: 400 });
  }
  if (error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || /JSON/i.test(error.message)) {
    return new TollgateError(ErrorCode.InvalidJson, `Malformed JSON in request body: ${error.message}`, { status: 400 });
  }
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return new TollgateError(ErrorCode.BadRequest, error.message, { status: error.statusCode });
  }
  return new TollgateError(ErrorCode.Internal, 'Internal server error', { status: 500 });
}
