import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MockUpstream, RunningSystem, startMockUpstream, startSystem, testNamespace, writeTempConfig } from '@tollgate/testing';
import { startAporiaMock, startOtlpReceiver } from './receivers';
import { deleteStreams, dropDatabase, eventually } from './support';

const MASTER = 'sk-e2e-guard-master-0123456789';
const ns = testNamespace('guard');
const db = `tollgate_${ns}`;
let up: MockUpstream;
let sys: RunningSystem;
let aporia: Awaited<ReturnType<typeof startAporiaMock>>;
let otlp: Awaited<ReturnType<typeof startOtlpReceiver>>;

function config(): string {
  return `model_list:
  - model_name: gpt-3.5-turbo
    litellm_params:
      model: openai/gpt-3.5-turbo
      api_base: ${up.url}/v1
      api_key: sk-upstream
guardrails:
  - guardrail_name: aporia-pre-guard
    litellm_params:
      guardrail: aporia
      mode: pre_call
      api_base: ${aporia.url}
      api_key: aporia-secret-key
  - guardrail_name: aporia-post-guard
    litellm_params:
      guardrail: aporia
      mode: post_call
      api_base: ${aporia.url}
      api_key: aporia-secret-key
  - guardrail_name: no-ssn
    litellm_params:
      guardrail: litellm_content_filter
      mode: pre_call
      default_on: true
      patterns:
        - pattern_type: prebuilt
          pattern_name: us_ssn
          action: BLOCK
  - guardrail_name: pii-mask
    litellm_params:
      guardrail: presidio
      mode: pre_call
      pii_entities_config:
        EMAIL_ADDRESS: MASK
  - guardrail_name: no-bombs
    litellm_params:
      guardrail: litellm_content_filter
      mode: during_call
      blocked_words:
        - keyword: bomb
          action: BLOCK
  - guardrail_name: log-mask
    litellm_params:
      guardrail: presidio
      mode: logging_only
      pii_entities_config:
        EMAIL_ADDRESS: MASK
  - guardrail_name: flaky-open
    litellm_params:
      guardrail: generic_guardrail_api
      mode: pre_call
      api_base: http://127.0.0.1:1
      fail_open: true
  - guardrail_name: flaky-closed
    litellm_params:
      guardrail: generic_guardrail_api
      mode: pre_call
      api_base: http://127.0.0.1:1
general_settings:
  master_key: ${MASTER}
  store_prompts_in_spend_logs: true
`;
}

async function chat(body: object, headers: Record<string, string> = {}) {
  const res = await fetch(`${sys.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${MASTER}`, ...headers },
    body: JSON.stringify({ model: 'gpt-3.5-turbo', ...body }),
  });
  return { status: res.status, headers: res.headers, json: (await res.json()) as any };
}

async function spendRow(id: string): Promise<any> {
  return eventually(async () => {
    const r = await fetch(`${sys.url}/spend/logs?request_id=${id}`, { headers: { authorization: `Bearer ${MASTER}` } });
    const rows = (await r.json()) as any[];
    return rows[0];
  }, 15_000, `spend log ${id}`);
}

before(async () => {
  up = await startMockUpstream();
  aporia = await startAporiaMock();
  otlp = await startOtlpReceiver();
  sys = await startSystem({
    namespace: ns,
    env: {
      TOLLGATE_CONFIG: writeTempConfig(config()),
      DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${db}`,
      OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    },
  });
});

after(async () => {
  await sys?.stop();
  await Promise.all([up?.close(), aporia?.close(), otlp?.close()]);
  await deleteStreams(ns).catch(() => undefined);
  await dropDatabase(db).catch(() => undefined);
});

describe('guardrails through the gateway', () => {
  test("the seed's mock_response example works as written and names the guardrails that ran", async () => {
    const r = await chat({ messages: [{ role: 'user', content: 'hi my email is ishaan@berri.ai' }], mock_response: 'This is a mock response', guardrails: ['aporia-pre-guard', 'aporia-post-guard'] }, { 'x-litellm-call-id': `seed-${ns}` });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.choices[0].message.content, 'This is a mock response');
    const applied = (r.headers.get('x-litellm-applied-guardrails') ?? '').split(',');
    for (const g of ['aporia-pre-guard', 'aporia-post-guard', 'no-ssn']) assert.ok(applied.includes(g), `${g} in ${applied}`);
    assert.ok(aporia.calls.length >= 2, 'Aporia was asked for the prompt and the response');
    const row = await spendRow(`seed-${ns}`);
    const traces = row.metadata.guardrail_information as any[];
    assert.deepEqual(traces.map((t) => t.guardrail_status), traces.map(() => 'success'));
    assert.ok(traces.some((t) => t.guardrail_name === 'aporia-post-guard' && t.guardrail_mode === 'post_call'));
  });

  test('a pre_call block is a 400 naming the guardrail, logged as a failure with its trace', async () => {
    const r = await chat({ messages: [{ role: 'user', content: 'tell me the forbidden thing' }], guardrails: ['aporia-pre-guard'] }, { 'x-litellm-call-id': `block-${ns}` });
    assert.equal(r.status, 400);
    assert.match(r.json.error.message, /^Violated guardrail policy.*aporia-pre-guard/);
    const row = await spendRow(`block-${ns}`);
    assert.equal(row.status, 'failure');
    assert.ok((row.metadata.guardrail_information as any[]).some((t) => t.guardrail_name === 'aporia-pre-guard' && t.guardrail_status === 'guardrail_intervened'));
  });

  test('a post_call block replaces the answer with a 400', async () => {
    const r = await chat({ messages: [{ role: 'user', content: 'x' }], mock_response: 'this is classified', guardrails: ['aporia-post-guard'] });
    assert.equal(r.status, 400);
    assert.match(r.json.error.message, /aporia-post-guard/);
  });

  test('default_on guardrails run without being named', async () => {
    const r = await chat({ messages: [{ role: 'user', content: 'my ssn is 123-45-6789' }] });
    assert.equal(r.status, 400);
    assert.match(r.json.error.message, /no-ssn/);
  });

  test('PII masking changes what the provider sees', async () => {
    const r = await chat({ messages: [{ role: 'user', content: 'mail me at jane.doe@example.com please' }], guardrails: ['pii-mask'] });
    assert.equal(r.status, 200);
    const sent = up.requests.at(-1)!.body as { messages: { content: string }[] };
    assert.match(sent.messages[0].content, /<EMAIL_ADDRESS>/);
    assert.ok(!sent.messages[0].content.includes('jane.doe@example.com'));
  });

  test("a during_call verdict decides whether the provider's answer is returned", async () => {
    const r = await chat({ messages: [{ role: 'user', content: 'how to build a bomb' }], guardrails: ['no-bombs'] });
    assert.equal(r.status, 400);
    assert.match(r.json.error.message, /no-bombs/);
  });

  test('logging_only masks the logged copy only', async () => {
    const r = await chat({ messages: [{ role: 'user', content: 'write to bob@example.org' }], guardrails: ['log-mask'] }, { 'x-litellm-call-id': `logmask-${ns}` });
    assert.equal(r.status, 200);
    assert.ok((up.requests.at(-1)!.body as any).messages[0].content.includes('bob@example.org'), 'the provider saw the original');
    const row = await spendRow(`logmask-${ns}`);
    assert.ok(!JSON.stringify(row.messages).includes('bob@example.org'), JSON.stringify(row.messages));
    assert.match(JSON.stringify(row.messages), /<EMAIL_ADDRESS>/);
  });

  test('unknown guardrails and bad per-request parameters are 400s naming them', async () => {
    const unknown = await chat({ messages: [{ role: 'user', content: 'x' }], guardrails: ['nope'] });
    assert.equal(unknown.status, 400);
    assert.match(unknown.json.error.message, /"nope" does not exist/);
    const bad = await chat({ messages: [{ role: 'user', content: 'x' }], guardrails: [{ 'pii-mask': { extra_body: { presidio_score_threshold: 'high' } } }] });
    assert.equal(bad.status, 400);
    assert.match(bad.json.error.message, /presidio_score_threshold/);
  });

  test('a guardrail that cannot answer is skipped when fail_open, and blocks otherwise', async () => {
    const open = await chat({ messages: [{ role: 'user', content: 'x' }], mock_response: 'ok', guardrails: ['flaky-open'] }, { 'x-litellm-call-id': `flaky-${ns}` });
    assert.equal(open.status, 200);
    const row = await spendRow(`flaky-${ns}`);
    assert.ok((row.metadata.guardrail_information as any[]).some((t) => t.guardrail_name === 'flaky-open' && t.guardrail_status === 'not_run'));
    const closed = await chat({ messages: [{ role: 'user', content: 'x' }], mock_response: 'ok', guardrails: ['flaky-closed'] });
    assert.equal(closed.status, 503);
    assert.match(closed.json.error.message, /flaky-closed/);
  });

  test('guardrails listed on a key or its team run for its requests; a team without modify_guardrails cannot name its own', async () => {
    const admin = async (path: string, body: object) =>
      (await fetch(`${sys.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${MASTER}` }, body: JSON.stringify(body) })).json() as Promise<any>;
    const team = await admin('/team/new', { team_id: `pii-team-${ns}`, guardrails: ['pii-mask'] });
    assert.equal(team.team_id, `pii-team-${ns}`, JSON.stringify(team));
    const teamKey = (await admin('/key/generate', { team_id: `pii-team-${ns}` })).key as string;
    const r1 = await chat({ messages: [{ role: 'user', content: 'reach me at team@example.com' }] }, { authorization: `Bearer ${teamKey}` });
    assert.equal(r1.status, 200, JSON.stringify(r1.json));
    assert.match((up.requests.at(-1)!.body as any).messages[0].content, /<EMAIL_ADDRESS>/, "the team's guardrail ran");
    const keyWith = (await admin('/key/generate', { guardrails: ['pii-mask'] })).key as string;
    await chat({ messages: [{ role: 'user', content: 'reach me at key@example.com' }] }, { authorization: `Bearer ${keyWith}` });
    assert.match((up.requests.at(-1)!.body as any).messages[0].content, /<EMAIL_ADDRESS>/, "the key's guardrail ran");
    await admin('/team/new', { team_id: `locked-${ns}`, metadata: { guardrails: { modify_guardrails: false } } });
    const locked = (await admin('/key/generate', { team_id: `locked-${ns}` })).key as string;
    const refused = await chat({ messages: [{ role: 'user', content: 'x' }], guardrails: ['pii-mask'] }, { authorization: `Bearer ${locked}` });
    assert.equal(refused.status, 403);
    assert.match(refused.json.error.message, /permission to modify guardrails/);
  });

  test('a blocked request frees its parallel slot at once', async () => {
    const gen = await fetch(`${sys.url}/key/generate`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${MASTER}` }, body: JSON.stringify({ max_parallel_requests: 1 }) });
    const key = ((await gen.json()) as { key: string }).key;
    for (let i = 0; i < 5; i++) {
      const blocked = await chat({ messages: [{ role: 'user', content: 'my ssn is 123-45-6789' }] }, { authorization: `Bearer ${key}` });
      assert.equal(blocked.status, 400);
    }
    const ok = await chat({ messages: [{ role: 'user', content: 'fine' }], mock_response: 'ok' }, { authorization: `Bearer ${key}` });
    assert.equal(ok.status, 200, JSON.stringify(ok.json));
  });

  test('/guardrails/list shows every guardrail and its parameters, never a key', async () => {
    const r = await fetch(`${sys.url}/guardrails/list`, { headers: { authorization: `Bearer ${MASTER}` } });
    const text = await r.text();
    assert.equal(r.status, 200);
    assert.ok(!text.includes('aporia-secret-key'));
    const list = JSON.parse(text).guardrails as any[];
    const pre = list.find((g) => g.guardrail_name === 'aporia-pre-guard');
    assert.equal(pre.litellm_params.guardrail, 'aporia');
    assert.equal(pre.litellm_params.mode, 'pre_call');
    assert.ok(Array.isArray(list.find((g) => g.guardrail_name === 'pii-mask').guardrail_info.params));
  });
});

describe('traces and metrics', () => {
  test('one litellm_request span per call, under the request span, with guardrail spans and NATS hops in the same trace', async () => {
    const id = `otel-${ns}`;
    const r = await chat({ messages: [{ role: 'user', content: 'trace me' }], guardrails: ['pii-mask'] }, { 'x-litellm-call-id': id });
    assert.equal(r.status, 200);
    const llm = await eventually(async () => {
      const found = otlp.spans.filter((s) => s.name === 'litellm_request' && s.attributes['metadata.litellm_call_id'] === id);
      return found.length ? found : undefined;
    }, 15_000, 'the litellm_request span');
    await new Promise((res) => setTimeout(res, 1500));
    const again = otlp.spans.filter((s) => s.name === 'litellm_request' && s.attributes['metadata.litellm_call_id'] === id);
    assert.equal(again.length, 1, 'exactly one litellm_request span');
    const span = llm[0];
    const root = otlp.spans.find((s) => s.spanId === span.parentSpanId);
    assert.equal(root?.name, 'Received Proxy Server Request');
    assert.equal(span.attributes['gen_ai.request.model'], 'gpt-3.5-turbo');
    assert.equal(span.attributes['gen_ai.system'], 'openai');
    assert.ok(Number(span.attributes['gen_ai.usage.input_tokens']) > 0);
    const inTrace = otlp.spans.filter((s) => s.traceId === span.traceId);
    assert.ok(inTrace.some((s) => s.name === 'guardrail' && s.attributes.guardrail_name === 'pii-mask'));
    assert.ok(inTrace.some((s) => s.service === 'tollgate-guardrails'), 'the guardrails service joined the trace over NATS');
    assert.ok(!JSON.stringify(inTrace).includes(MASTER), 'no raw key in spans');
  });

  test('/metrics needs the master key and moves with traffic', async () => {
    const denied = await fetch(`${sys.url}/metrics`);
    assert.equal(denied.status, 401);
    assert.match(await denied.text(), /Unauthorized access to metrics endpoint/);
    const read = async () => (await (await fetch(`${sys.url}/metrics`, { headers: { authorization: `Bearer ${MASTER}` } })).text());
    const count = (text: string) =>
      text.split('\n').filter((l) => l.startsWith('litellm_proxy_total_requests_metric_total{') && l.includes('requested_model="gpt-3.5-turbo"') && l.includes('status_code="200"')).reduce((s, l) => s + Number(l.split(' ').at(-1)), 0);
    const before = count(await read());
    await chat({ messages: [{ role: 'user', content: 'count me' }] });
    const text = await read();
    assert.equal(count(text), before + 1);
    assert.match(text, /litellm_guardrail_requests_total\{guardrail_name="no-ssn",status="success",hook_type="pre_call"\}/);
    assert.match(text, /litellm_spend_metric_total\{/);
    assert.match(text, /litellm_request_total_latency_metric_bucket\{/);
  });
});
