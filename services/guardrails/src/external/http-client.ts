import { Agent, request } from 'undici';

/** An external guardrail API failed to answer usefully. The message never holds a key or a URL. */
export class ExternalCallError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExternalCallError';
  }
}

/**
 * One pooled keep-alive client for every external guardrail API. Each call carries the run's abort
 * signal (the per-check timeout) and its own header / body timeouts as a second line of defence.
 */
export class HttpClient {
  private readonly agent = new Agent({ keepAliveTimeout: 10_000, connections: 128, connect: { timeout: 5_000 } });

  async postJson(
    vendor: string,
    url: string,
    body: unknown,
    opts: { headers?: Record<string, string>; signal: AbortSignal; timeoutMs?: number },
  ): Promise<unknown> {
    const timeoutMs = opts.timeoutMs ?? 30_000;
    let res;
    try {
      res = await request(url, {
        method: 'POST',
        dispatcher: this.agent,
        headers: { 'content-type': 'application/json', accept: 'application/json', ...opts.headers },
        body: JSON.stringify(body),
        signal: opts.signal,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
    } catch (e) {
      if (opts.signal.aborted) throw new ExternalCallError(`${vendor} did not answer in time`);
      throw new ExternalCallError(`${vendor} unreachable (${(e as { code?: string }).code ?? (e as Error).name})`);
    }
    let text: string;
    try {
      text = await res.body.text();
    } catch {
      throw new ExternalCallError(`${vendor} ${opts.signal.aborted ? 'did not answer in time' : 'reply was cut off'}`);
    }
    if (res.statusCode < 200 || res.statusCode >= 300) throw new ExternalCallError(`${vendor} answered HTTP ${res.statusCode}`);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new ExternalCallError(`${vendor} answered with invalid JSON`);
    }
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}
