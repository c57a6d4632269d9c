import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import assert from 'node:assert/strict';
import { AckPolicy, DeliverPolicy, JSONCodec, NatsConnection } from 'nats';
import { request } from 'undici';
import { Client } from 'pg';
import { parseConfig, TollgateConfig } from '@tollgate/config';
import {
  JOBS_INTERNAL_PATHS, JobsCaller, jobsCallerHeaders, JobsRequest, nsName, nsSubject, OpenAIFileObject, StandardLoggingPayload, TollgateError,
  UsageRecorded, UsageStream,
} from '@tollgate/contracts';

export const NATS_URL = 'nats://127.0.0.1:4222';
export const REDIS_URL = 'redis://127.0.0.1:6379';
export const DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/tollgate';
export const UPSTREAM_KEY = 'sk-upstream-test';
export const SECRET = 'internal-test-secret';

export function runId(): string {
  return randomBytes(5).toString('hex');
}

export function caller(keyHash: string, teamId: string | null, extra: Partial<JobsCaller> = {}): JobsCaller {
  return { keyHash, isAdmin: false, userId: `user-${keyHash}`, teamId, keyAlias: `alias-${keyHash}`, teamAlias: teamId ? `${teamId}-alias` : null, ...extra };
}

export function jreq(c: JobsCaller, body: Record<string, unknown> = {}, params: Record<string, string> = {}, query: Record<string, string> = {}, headers: Record<string, string> = {}): JobsRequest {
  return { caller: c, body, params, query, headers };
}

/** the config a test deployment would have: model routes on the mock, and files / finetune settings */
export function testConfig(mockUrl: string): TollgateConfig {
  return parseConfig(`
model_list:
  - model_name: batch-gpt
    litellm_params: { model: openai/gpt-4o-mini, api_base: "${mockUrl}/v1", api_key: ${UPSTREAM_KEY} }
    model_info: { id: oai-batch }
  - model_name: azure-gpt
    litellm_params: { model: azure/gpt-4o-mini, api_base: "${mockUrl}", api_key: ${UPSTREAM_KEY}, api_version: "2024-10-21" }
    model_info: { id: az-batch }
files_settings:
  - custom_llm_provider: openai
    api_base: "${mockUrl}/v1"
    api_key: ${UPSTREAM_KEY}
  - custom_llm_provider: azure
    api_base: "${mockUrl}"
    api_key: ${UPSTREAM_KEY}
finetune_settings:
  - custom_llm_provider: openai
    api_base: "${mockUrl}/v1"
    api_key: ${UPSTREAM_KEY}
    training_cost_per_token: 0.000008
`, {}, 'jobs-test');
}

export function multipart(boundary: string, fields: Record<string, string>, file: { name: string; content: Buffer | string } | null, fieldsAfter: Record<string, string> = {}): Buffer {
  const part = (k: string, v: string): string => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`;
  const chunks: Buffer[] = Object.entries(fields).map(([k, v]) => Buffer.from(part(k, v)));
  if (file) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: application/jsonl\r\n\r\n`));
    chunks.push(Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content));
    chunks.push(Buffer.from('\r\n'));
  }
  for (const [k, v] of Object.entries(fieldsAfter)) chunks.push(Buffer.from(part(k, v)));
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

/** Uploads the way the gateway does: the raw multipart body, the signed caller, the routing query. */
export async function uploadInternal(
  internalUrl: string,
  c: JobsCaller,
  opts: { purpose?: string; content: string; fields?: Record<string, string>; query?: string; headers?: Record<string, string>; secret?: string },
): Promise<{ status: number; body: Record<string, unknown> }> {
  const boundary = `----tg${runId()}`;
  const body = multipart(boundary, { ...(opts.purpose ? { purpose: opts.purpose } : {}), ...(opts.fields ?? {}) }, { name: 'input.jsonl', content: opts.content });
  const res = await request(`${internalUrl}${JOBS_INTERNAL_PATHS.upload}${opts.query ?? ''}`, {
    method: 'POST',
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(body.length), ...jobsCallerHeaders(c, opts.secret ?? SECRET), ...(opts.headers ?? {}) },
    body,
  });
  return { status: res.statusCode, body: (await res.body.json()) as Record<string, unknown> };
}

export function asFile(r: { status: number; body: Record<string, unknown> }): OpenAIFileObject {
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body as OpenAIFileObject;
}

export function batchLines(lines: { id: string; prompt?: number; completion?: number; model?: string }[]): string {
  return lines
    .map((l) =>
      JSON.stringify({
        custom_id: l.id,
        method: 'POST',
        url: '/v1/chat/completions',
        body: { model: l.model ?? 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], ...(l.prompt !== undefined ? { mock_usage: { prompt_tokens: l.prompt, completion_tokens: l.completion ?? 0 } } : {}) },
      }),
    )
    .join('\n');
}

/** Every usage.recorded event now in the namespace's USAGE stream (an ordered read from the start). */
export async function usageEvents(nc: NatsConnection, namespace: string): Promise<StandardLoggingPayload[]> {
  const jsm = await nc.jetstreamManager();
  const stream = nsName(namespace, UsageStream.name);
  const info = await jsm.streams.info(stream).catch(() => null);
  if (!info || info.state.messages === 0) return [];
  const subject = nsSubject(namespace, UsageRecorded.subject);
  const ci = await jsm.consumers.add(stream, { ack_policy: AckPolicy.None, deliver_policy: DeliverPolicy.All, filter_subject: subject, inactive_threshold: 5_000_000_000 });
  const consumer = await nc.jetstream().consumers.get(stream, ci.name);
  const out: StandardLoggingPayload[] = [];
  const codec = JSONCodec<StandardLoggingPayload>();
  const msgs = await consumer.fetch({ max_messages: 10_000, expires: 1000 });
  for await (const m of msgs) {
    out.push(codec.decode(m.data));
    if (m.info.pending === 0) break;
  }
  await jsm.consumers.delete(stream, ci.name).catch(() => undefined);
  return out;
}

export async function eventually<T>(what: string, fn: () => Promise<T | undefined | null | false>, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
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

export async function dropSchema(schema: string): Promise<void> {
  const admin = new Client({ connectionString: DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await admin.end();
  }
}

export async function dropNamespace(nc: NatsConnection, namespace: string): Promise<void> {
  const jsm = await nc.jetstreamManager();
  await jsm.streams.delete(nsName(namespace, UsageStream.name)).catch(() => undefined);
}

/** A readable of `size` bytes of JSONL, produced as it is read (never held whole). */
export function generatedJsonl(size: number): Readable {
  const line = Buffer.from(`${JSON.stringify({ custom_id: 'x', method: 'POST', url: '/v1/chat/completions', body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'y'.repeat(900) }] } })}\n`);
  let left = size;
  return new Readable({
    read() {
      if (left <= 0) return void this.push(null);
      const n = Math.min(left, 64 * 1024);
      const chunk = Buffer.alloc(n);
      for (let o = 0; o < n; o += line.length) line.copy(chunk, o, 0, Math.min(line.length, n - o));
      left -= n;
      this.push(chunk);
    },
  });
}
