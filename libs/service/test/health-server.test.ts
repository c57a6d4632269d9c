import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HealthReply } from '@tollgate/contracts';
import { startHealthServer } from '../src';

test('ready 200 / 503 with the reply as body, 503 with the service named when the check throws', async () => {
  let reply: HealthReply | Error = { service: 'budget', ready: false, checks: { nats: true, redis: false } };
  const h = await startHealthServer({
    service: 'budget',
    port: 0,
    host: '127.0.0.1',
    ready: async () => {
      if (reply instanceof Error) throw reply;
      return reply;
    },
    extraRoutes: {
      '/metrics': () => ({ status: 200, body: 'up 1\n', contentType: 'text/plain; version=0.0.4' }),
      '/broken': () => {
        throw new Error('registry gone');
      },
    },
  });
  const url = (p: string) => `http://127.0.0.1:${h.port}${p}`;
  try {
    const notReady = await fetch(url('/health/ready?probe=1'));
    assert.equal(notReady.status, 503);
    assert.deepEqual(await notReady.json(), reply);
    reply = { service: 'budget', ready: true, checks: { nats: true, redis: true } };
    const ready = await fetch(url('/health/ready'));
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), reply);
    reply = new Error('boom');
    const failed = await fetch(url('/health/ready'));
    assert.equal(failed.status, 503);
    assert.deepEqual(await failed.json(), { service: 'budget', ready: false, checks: {} });

    const metrics = await fetch(url('/metrics'));
    assert.equal(metrics.headers.get('content-type'), 'text/plain; version=0.0.4');
    assert.equal(await metrics.text(), 'up 1\n');
    const broken = await fetch(url('/broken'));
    assert.deepEqual([broken.status, await broken.json()], [500, { error: 'registry gone' }]);
    const head = await fetch(url('/health/live'), { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(await head.text(), '');
    assert.equal((await fetch(url('/toString'))).status, 404, 'only own routes');
  } finally {
    await h.close();
  }
});
