import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AckedPublish } from './jetstream-acks';
import { defineEvent, defineStream } from '@tollgate/contracts';
import { BatchedEventPublisher } from './batched-publisher';

const stream = defineStream({ name: 'T', subjects: ['t.>'], duplicateWindowSeconds: 60, maxAgeSeconds: 60 });
const Ev = defineEvent<{ n: number }>(stream, 't.happened');

/** a JetStream stand-in that records publishes and can fail the first N of them */
function fakeJs(failFirst = 0) {
  const sent: { subject: string; msgId: string }[] = [];
  let calls = 0;
  const js = {
    publish: async (subject: string, _data: Uint8Array, msgId: string) => {
      calls++;
      if (calls <= failFirst) throw new Error('no stream response');
      sent.push({ subject, msgId });
    },
    close: () => undefined,
  } satisfies AckedPublish;
  return { js, sent };
}

test('events are batched by size and by time, each with its own message id and the namespace', async () => {
  const { js, sent } = fakeJs();
  const p = new BatchedEventPublisher(js, 'ns1', { flushMs: 5, batchSize: 3, bufferLimit: 100 });
  for (let i = 0; i < 3; i++) p.publish(Ev, { n: i }, `id-${i}`);
  await new Promise((r) => setImmediate(r));
  assert.equal(sent.length, 3, 'a full batch is sent at once');
  p.publish(Ev, { n: 3 }, 'id-3');
  assert.equal(sent.length, 3);
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(sent.length, 4, 'a partial batch is sent after flushMs');
  assert.deepEqual(sent.map((s) => s.msgId), ['id-0', 'id-1', 'id-2', 'id-3']);
  assert.equal(sent[0].subject, 'ns1.t.happened');
});

test('failed publishes are retried until acked and close() drains them', async () => {
  const { js, sent } = fakeJs(4);
  const warnings: string[] = [];
  const p = new BatchedEventPublisher(js, 'ns', { flushMs: 1, batchSize: 10, bufferLimit: 100, onWarn: (m) => warnings.push(m) });
  p.publish(Ev, { n: 1 }, 'a');
  p.publish(Ev, { n: 2 }, 'b');
  const left = await p.close(5000);
  assert.equal(left, 0);
  assert.deepEqual(sent.map((s) => s.msgId).sort(), ['a', 'b']);
  assert.ok(p.stats.retried >= 4);
  assert.ok(warnings.some((w) => /will retry/.test(w)));
});

test('a full buffer refuses loudly and counts, never silently', async () => {
  const js: AckedPublish = { publish: () => new Promise<void>(() => undefined), close: () => undefined };
  const warnings: string[] = [];
  const p = new BatchedEventPublisher(js, 'ns', { flushMs: 1000, batchSize: 1000, bufferLimit: 2, onWarn: (m) => warnings.push(m) });
  assert.equal(p.publish(Ev, { n: 1 }, 'a'), true);
  assert.equal(p.publish(Ev, { n: 2 }, 'b'), true);
  assert.equal(p.publish(Ev, { n: 3 }, 'c'), false);
  assert.equal(p.stats.dropped, 1);
  assert.match(warnings[0], /buffer full/);
});
