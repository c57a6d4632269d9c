import { randomBytes } from 'node:crypto';
import assert from 'node:assert/strict';
import { CallerRef, emptyLoggingMetadata, ManagementRequest, StandardLoggingPayload, TollgateError } from '@tollgate/contracts';

export const NATS_URL = 'nats://127.0.0.1:4222';
export const DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/tollgate';
export const REDIS_URL = 'redis://127.0.0.1:6379';

export const runId = (): string => randomBytes(4).toString('hex');
export const MASTER: CallerRef = { keyHash: null, isMaster: true };

export function mreq(caller: CallerRef, body: Record<string, unknown> = {}, query: Record<string, string> = {}): ManagementRequest {
  return { caller, body, query, params: {} };
}

export async function refused(p: Promise<unknown>, status: number, message?: RegExp): Promise<TollgateError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof TollgateError, `expected a TollgateError, got ${String(e)}`);
    assert.equal(e.status, status, `status ${e.status}: ${e.message}`);
    if (message) assert.match(e.message, message);
    return e;
  }
  assert.fail(`expected a ${status} refusal, but the call succeeded`);
}

export async function waitFor<T>(what: string, probe: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await probe();
    if (ok(last)) return last;
    if (Date.now() > until) assert.fail(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A successful call's usage event as the gateway publishes it. */
export function usage(id: string, cost: number, who: { keyHash: string; userId?: string | null; teamId?: string | null; model?: string }): StandardLoggingPayload {
  const metadata = emptyLoggingMetadata();
  metadata.user_api_key_hash = who.keyHash;
  metadata.user_api_key_user_id = who.userId ?? null;
  metadata.user_api_key_team_id = who.teamId ?? null;
  const now = Date.now() / 1000;
  return {
    id, trace_id: null, call_type: 'acompletion', stream: false, status: 'success', response_cost: cost, custom_llm_provider: 'openai',
    prompt_tokens: 10, completion_tokens: 5, total_tokens: 15, startTime: now, endTime: now, completionStartTime: now,
    model: who.model ?? 'gpt-4o', model_id: null, model_group: who.model ?? 'gpt-4o', api_base: null, metadata, request_tags: [], end_user: null,
    error_str: null, error_information: null, response_id: null, messages: null, response: null, model_parameters: {}, guardrail_information: [],
    status_fields: { llm_api_status: 'success', guardrail_status: 'not_run' },
  };
}
