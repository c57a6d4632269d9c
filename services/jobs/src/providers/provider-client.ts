import type { Readable } from 'node:stream';
import { Agent, Dispatcher, errors as undiciErrors } from 'undici';
import { ErrorCode, TollgateError } from '@tollgate/contracts';
import { ProviderTarget } from '../routing/deployment-resolver';
import { providerAuth, providerUrl } from './provider-urls';

// under the gateway's 30 s RPC timeout, so a slow provider answers 504 here rather than 503 there
const JSON_TIMEOUT_MS = 25_000;
/** an upload or a download may take long; only a stalled connection is an error */
const STREAM_IDLE_MS = 300_000;

export interface ProviderStream {
  status: number;
  headers: Record<string, string>;
  body: Readable;
}

/**
 * The jobs service's calls to providers: one pooled keep-alive undici Agent, JSON calls with a
 * timeout, and streamed uploads / downloads. Provider errors become TollgateErrors carrying the
 * provider's message (never a credential); 4xx keep their status, 5xx become 502.
 */
export class ProviderClient {
  private readonly agent = new Agent({ keepAliveTimeout: 30_000, connections: 64 });

  async json<T = Record<string, unknown>>(t: ProviderTarget, method: Dispatcher.HttpMethod, path: string, opts: { body?: unknown; query?: Record<string, string | undefined> } = {}): Promise<T> {
    const headers: Record<string, string> = { ...providerAuth(t), accept: 'application/json' };
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    const res = await this.send(t, {
      method,
      path,
      query: opts.query,
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      timeoutMs: JSON_TIMEOUT_MS,
    });
    const text = await res.body.text();
    if (res.statusCode >= 400) throw providerError(t, res.statusCode, text);
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new TollgateError(ErrorCode.UpstreamError, `${t.provider} returned a non-JSON answer (status ${res.statusCode})`, { status: 502 });
    }
  }

  /** POST a multipart body as it arrives; the answer is the provider's FileObject. */
  async upload(t: ProviderTarget, body: AsyncIterable<Buffer>, contentType: string, contentLength: number | undefined): Promise<Record<string, unknown>> {
    const headers: Record<string, string> = { ...providerAuth(t), 'content-type': contentType, accept: 'application/json' };
    if (contentLength !== undefined) headers['content-length'] = String(contentLength);
    const res = await this.send(t, { method: 'POST', path: '/files', headers, body, timeoutMs: STREAM_IDLE_MS });
    const text = await res.body.text();
    if (res.statusCode >= 400) throw providerError(t, res.statusCode, text);
    try {
      return JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw new TollgateError(ErrorCode.UpstreamError, `${t.provider} returned a non-JSON answer to an upload`, { status: 502 });
    }
  }

  /** GET a file's content as a stream (the caller pipes or reads it line by line). */
  async content(t: ProviderTarget, providerFileId: string): Promise<ProviderStream> {
    const res = await this.send(t, { method: 'GET', path: `/files/${encodeURIComponent(providerFileId)}/content`, headers: providerAuth(t), timeoutMs: STREAM_IDLE_MS });
    if (res.statusCode >= 400) throw providerError(t, res.statusCode, await res.body.text());
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') headers[k] = v;
    return { status: res.statusCode, headers, body: res.body };
  }

  close(): Promise<void> {
    return this.agent.close();
  }

  private async send(
    t: ProviderTarget,
    r: { method: Dispatcher.HttpMethod; path: string; query?: Record<string, string | undefined>; headers: Record<string, string>; body?: string | AsyncIterable<Buffer>; timeoutMs: number },
  ): Promise<Dispatcher.ResponseData> {
    try {
      return await this.agent.request({
        origin: new URL(t.apiBase).origin,
        path: pathOf(providerUrl(t, r.path, r.query)),
        method: r.method,
        headers: r.headers,
        body: r.body as Dispatcher.DispatchOptions['body'],
        headersTimeout: r.timeoutMs,
        bodyTimeout: r.timeoutMs,
      });
    } catch (e) {
      if (e instanceof TollgateError) throw e;
      if (e instanceof undiciErrors.HeadersTimeoutError || e instanceof undiciErrors.BodyTimeoutError) {
        throw new TollgateError(ErrorCode.UpstreamTimeout, `${t.provider} did not answer in time`, { status: 504 });
      }
      throw new TollgateError(ErrorCode.UpstreamError, `${t.provider} could not be reached: ${(e as Error).message}`, { status: 502 });
    }
  }
}

function pathOf(url: string): string {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
}

/** The provider's own message (OpenAI `{error:{message}}` or Azure `{error:{code,message}}`). */
export function providerError(t: ProviderTarget, status: number, text: string): TollgateError {
  let message = text.slice(0, 500);
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown };
    const m = typeof body.error === 'object' && body.error ? body.error.message : typeof body.error === 'string' ? body.error : body.message;
    if (typeof m === 'string') message = m;
  } catch {
    /* not JSON: keep the text */
  }
  const text2 = `${t.provider} error: ${message}`;
  if (status === 404) return new TollgateError(ErrorCode.NotFound, text2, { status: 404 });
  if (status === 429) return new TollgateError(ErrorCode.RateLimited, text2, { status: 429 });
  if (status === 401 || status === 403) return new TollgateError(ErrorCode.UpstreamError, `${text2} (check the deployment's api_key)`, { status: 502 });
  if (status < 500) return new TollgateError(ErrorCode.UpstreamBadRequest, text2, { status });
  return new TollgateError(ErrorCode.UpstreamError, text2, { status: 502 });
}
