import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TollgateError } from '@tollgate/contracts';
import { AuthService } from './auth.service';
import { loadCustomAuth } from './custom-auth';

const dir = mkdtempSync(join(tmpdir(), 'tollgate-custom-auth-'));
const configPath = join(dir, 'config.yaml');
writeFileSync(configPath, 'model_list: []\n');
writeFileSync(
  join(dir, 'auth.js'),
  `exports.userApiKeyAuth = async (request, apiKey) => {
     if (apiKey === 'sk-partner') return { user_id: 'partner', team_id: 'partners', models: ['gpt-4o'], key_alias: 'from-' + request.method };
     if (apiKey === 'sk-blocked') return { user_id: 'x', blocked: true };
     if (apiKey === 'sk-null') return null;
     throw new Error('unknown partner key');
   };`,
);

test('a custom auth module decides, and its answer goes through the common checks', async () => {
  const custom = loadCustomAuth('./auth.js:userApiKeyAuth', undefined, configPath)!;
  const auth = new AuthService('sk-master', undefined, custom);
  const ok = await auth.authenticate({ authorization: 'Bearer sk-partner' }, { url: '/v1/chat/completions', method: 'POST', body: {} });
  assert.equal(ok.userId, 'partner');
  assert.equal(ok.teamId, 'partners');
  assert.equal(ok.keyAlias, 'from-POST');
  assert.deepEqual(ok.key?.models, ['gpt-4o']);
  await assert.rejects(auth.authenticate({ authorization: 'Bearer sk-blocked' }), (e: TollgateError) => e.status === 401 && /Key is blocked/.test(e.message));
  await assert.rejects(auth.authenticate({ authorization: 'Bearer sk-other' }), (e: TollgateError) => e.status === 401 && /unknown partner key/.test(e.message));
  await assert.rejects(auth.authenticate({ authorization: 'Bearer sk-null' }), (e: TollgateError) => e.status === 401);
  assert.equal((await auth.authenticate({ authorization: 'Bearer sk-master' })).isAdmin, true, 'the master key still works');
});

test('mode auto falls back to the built-in check when the module refuses', async () => {
  const auth = new AuthService('sk-master', undefined, loadCustomAuth('./auth.js', 'auto', configPath));
  await assert.rejects(auth.authenticate({ authorization: 'Bearer sk-other' }), (e: TollgateError) => e.status === 401 && /Invalid proxy server token/.test(e.message));
  assert.equal((await auth.authenticate({ authorization: 'Bearer sk-partner' })).userId, 'partner');
});

test('a missing module or export stops start-up with a message naming it', () => {
  assert.throws(() => loadCustomAuth('./nope.js', undefined, configPath), /cannot load .*nope\.js/);
  assert.throws(() => loadCustomAuth('./auth.js:missing', undefined, configPath), /exports no function missing/);
  assert.throws(() => loadCustomAuth('./auth.js', 'sometimes', configPath), /mode must be "on" or "auto"/);
});
