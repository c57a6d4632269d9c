/** Helpers of the replica and shutdown end-to-end tests: HTTP calls that tell a refused connection from a failed request. */

export interface CallResult {
  callId: string;
  /** the gateway URL that answered (after a refused connection: the other one) */
  url: string;
  status: number;
  /** response cost header, dollars */
  cost: number;
  startedAt: number;
  endedAt: number;
  /** a failure after the request was sent (connection reset, body cut, …): must never happen */
  error?: string;
  /** how many gateways refused the connection before one took the request */
  refused: number;
}

/** True when the request never reached a server: the connection itself was refused. */
export function isConnectionRefused(e: unknown): boolean {
  const cause = (e as { cause?: { code?: string } }).cause;
  return cause?.code === 'ECONNREFUSED';
}

/**
 * POSTs a chat completion to `urls[0]`, or, when that gateway refuses the connection (it stopped
 * listening: the request was not sent), to the next one. Any other error is recorded as a failure.
 * A streamed reply is read to its end and must end with `data: [DONE]`.
 */
export async function chat(urls: string[], auth: string, callId: string, body: Record<string, unknown>): Promise<CallResult> {
  const startedAt = Date.now();
  let refused = 0;
  for (const url of urls) {
    try {
      const res = await fetch(`${url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${auth}`, 'x-litellm-call-id': callId },
        body: JSON.stringify(body),
      });
      const text = await res.text();
      const result: CallResult = { callId, url, status: res.status, cost: Number(res.headers.get('x-litellm-response-cost') ?? NaN), startedAt, endedAt: Date.now(), refused };
      if (res.status !== 200) result.error = `HTTP ${res.status}: ${text.slice(0, 200)}`;
      else if (body.stream === true && !text.trimEnd().endsWith('data: [DONE]')) result.error = `stream cut: ${text.slice(-200)}`;
      return result;
    } catch (e) {
      if (isConnectionRefused(e)) {
        refused++;
        continue;
      }
      const cause = (e as { cause?: Error }).cause;
      return { callId, url, status: 0, cost: NaN, startedAt, endedAt: Date.now(), refused, error: `${(e as Error).message}${cause ? `: ${cause.message}` : ''}` };
    }
  }
  return { callId, url: '', status: 0, cost: NaN, startedAt, endedAt: Date.now(), refused, error: 'every gateway refused the connection' };
}

/** Every spend log row of one key (hash), read through a gateway, as request_id → number of rows. */
export async function spendLogCounts(url: string, master: string, keyHash: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (let offset = 0; ; offset += 1000) {
    const res = await fetch(`${url}/spend/logs?api_key=${keyHash}&start_date=2020-01-01&end_date=2100-01-01&limit=1000&offset=${offset}`, { headers: { authorization: `Bearer ${master}` } });
    if (res.status !== 200) throw new Error(`/spend/logs answered ${res.status}: ${await res.text()}`);
    const rows = (await res.json()) as { request_id: string }[];
    for (const r of rows) counts.set(r.request_id, (counts.get(r.request_id) ?? 0) + 1);
    if (rows.length < 1000) return counts;
  }
}
