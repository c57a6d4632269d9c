import { Agent, Dispatcher, errors as undiciErrors } from 'undici';
import { ErrorCode, TollgateError } from '@tollgate/contracts';
import { HttpRequestSpec } from '../providers/provider';

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Dispatcher.ResponseData['body'];
}

/**
 * Every provider call goes through one pooled keep-alive undici Agent (never global fetch on the hot
 * path): connections to each origin are reused, so a request costs no TCP or TLS handshake.
 */
export class UpstreamClient {
  private readonly agent: Agent;

  constructor(opts: { connectionsPerOrigin?: number } = {}) {
    this.agent = new Agent({
      connections: opts.connectionsPerOrigin ?? 256,
      keepAliveTimeout: 30_000,
      keepAliveMaxTimeout: 120_000,
      connect: { timeout: 10_000 },
    });
  }

  /**
   * Sends the request; resolves once the response headers arrive. `timeoutMs` bounds the wait for
   * headers and the gap between body chunks; `signal` aborts (client went away).
   */
  async send(spec: HttpRequestSpec, upstreamName: string, timeoutMs: number, signal?: AbortSignal): Promise<UpstreamResponse> {
    try {
      const url = new URL(spec.url);
      const res = await this.agent.request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: spec.method,
        headers: spec.headers,
        body: spec.method === 'GET' ? undefined : spec.body,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        signal,
      });
      return { status: res.statusCode, headers: res.headers, body: res.body };
    } catch (e) {
      throw mapTransportError(e, upstreamName, timeoutMs);
    }
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

/** Transport failures: timeout → 504, anything else (refused, reset, DNS) → 502, upstream named. */
export function mapTransportError(e: unknown, upstreamName: string, timeoutMs: number): TollgateError {
  if (e instanceof TollgateError) return e;
  if (e instanceof undiciErrors.HeadersTimeoutError || e instanceof undiciErrors.BodyTimeoutError || e instanceof undiciErrors.ConnectTimeoutError) {
    return new TollgateError(ErrorCode.UpstreamTimeout, `litellm.Timeout: upstream ${upstreamName} did not answer within ${timeoutMs} ms`, { status: 504 });
  }
  const code = (e as { code?: string })?.code ?? (e as Error)?.name ?? 'error';
  return new TollgateError(ErrorCode.UpstreamError, `litellm.APIConnectionError: cannot reach upstream ${upstreamName} (${code})`, { status: 502 });
}
