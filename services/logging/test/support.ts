import { createHash, randomBytes } from 'node:crypto';
import { emptyLoggingMetadata, StandardLoggingPayload } from '@tollgate/contracts';

export const NATS_URL = 'nats://127.0.0.1:4222';
export const DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/tollgate';

/** One suffix per test run: its namespace and schema cross no other run. */
export function runId(): string {
  return randomBytes(5).toString('hex');
}

export function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

export function secondsOf(iso: string): number {
  return Date.parse(iso) / 1000;
}

/** A plausible gateway usage event; `over` replaces top-level fields, `meta` metadata fields. */
export function usagePayload(
  id: string,
  over: Partial<StandardLoggingPayload> & Record<string, unknown> = {},
  meta: Partial<StandardLoggingPayload['metadata']> = {},
): StandardLoggingPayload {
  const start = secondsOf('2024-03-01T10:00:00.000Z');
  return {
    id,
    trace_id: null,
    call_type: 'acompletion',
    stream: false,
    status: 'success',
    response_cost: 0.00001,
    custom_llm_provider: 'openai',
    prompt_tokens: 10,
    completion_tokens: 5,
    total_tokens: 15,
    startTime: start,
    endTime: start + 0.25,
    completionStartTime: start + 0.1,
    model: 'gpt-4o-mini',
    model_id: 'mock-gpt-4o-mini',
    model_group: 'gpt-4o-mini',
    api_base: 'https://api.example.test/v1',
    metadata: { ...emptyLoggingMetadata(), ...meta },
    request_tags: [],
    end_user: null,
    error_str: null,
    error_information: null,
    response_id: null,
    messages: [{ role: 'user', content: 'hello' }],
    response: { choices: [{ message: { role: 'assistant', content: 'hi' } }] },
    model_parameters: {},
    ...over,
  } as StandardLoggingPayload;
}

/** Polls until `probe` returns a value `done` accepts; fails with the last value seen. */
export async function waitFor<T>(probe: () => Promise<T>, done: (v: T) => boolean, what: string, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await probe();
    if (done(last)) return last;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const REDIS_URL = 'redis://127.0.0.1:6379';

/** Runs every cleanup step even when an earlier one fails, so a broken run still cleans up and exits. */
export async function cleanup(steps: (() => Promise<unknown> | unknown)[]): Promise<void> {
  for (const step of steps) {
    try {
      await step();
    } catch (e) {
      console.error(`cleanup: ${(e as Error).message}`);
    }
  }
}

/** Every plan node of an EXPLAIN (FORMAT JSON) answer. */
export function planNodes(plan: unknown): { 'Node Type': string; 'Relation Name'?: string; 'Index Name'?: string }[] {
  const out: { 'Node Type': string; 'Relation Name'?: string; 'Index Name'?: string }[] = [];
  const walk = (node: Record<string, unknown>): void => {
    out.push(node as { 'Node Type': string });
    for (const child of (node.Plans as Record<string, unknown>[] | undefined) ?? []) walk(child);
  };
  const root = (plan as { Plan: Record<string, unknown> }[])[0].Plan;
  walk(root);
  return out;
}
