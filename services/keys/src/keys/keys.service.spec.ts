import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TeamMemberRole, UserRole } from '@tollgate/contracts';
import { Caller } from '../access/caller';
import { keyColumnsFrom } from './keys.mapping';
import { KeyWrite, keyWriteRefusal } from './keys.rules';

const caller = (role: UserRole, userId: string, teams: [string, TeamMemberRole][] = []): Caller => ({
  isMaster: false, keyHash: 'h'.repeat(64), userId, role, keyTeamId: null, teams: new Map(teams),
});
const teamA = { team_id: 'A', models: ['gpt-4o'], team_member_permissions: null, max_budget: 100, tpm_limit: null, rpm_limit: null };
const write = (w: Partial<KeyWrite>): KeyWrite => ({
  caller: caller('internal_user', 'alice', [['A', 'admin']]), route: '/key/generate', input: {}, current: null,
  userId: 'alice', team: null, userIsTeamMember: true, owner: null, ...w,
});

test('team admins create keys for team members within the team', () => {
  assert.equal(keyWriteRefusal(write({ team: teamA, userId: 'bob', input: { models: ['gpt-4o'], max_budget: 10 } })), null);
  assert.equal(keyWriteRefusal(write({ team: teamA, userId: null })), null, 'service-account key');
  assert.match(keyWriteRefusal(write({ team: teamA, userId: 'carol', userIsTeamMember: false }))!, /not a member of the team/);
  assert.match(keyWriteRefusal(write({ team: teamA, input: { models: ['gpt-5'] } }))!, /cannot use models/);
  assert.match(keyWriteRefusal(write({ team: teamA, input: { budget_id: 'tier' } }))!, /budget tier/);
});

test('plain members need the team permission, and only for themselves', () => {
  const bob = caller('internal_user', 'bob', [['A', 'user']]);
  assert.match(keyWriteRefusal(write({ caller: bob, team: teamA, userId: 'bob' }))!, /only team admins can/);
  const open = { ...teamA, team_member_permissions: ['/key/generate'] };
  assert.equal(keyWriteRefusal(write({ caller: bob, team: open, userId: 'bob' })), null);
  assert.match(keyWriteRefusal(write({ caller: bob, team: open, userId: 'carol' }))!, /only create keys for themselves/);
  const current = { token: 'k'.repeat(64), user_id: 'bob', team_id: 'A' };
  assert.match(keyWriteRefusal(write({ caller: bob, team: teamA, userId: 'bob', current, route: '/key/update', input: { max_budget: 99 } }))!, /Only team admins/);
  assert.equal(keyWriteRefusal(write({ caller: bob, team: teamA, userId: 'bob', current, route: '/key/update', input: { key_alias: 'x' } })), null);
});

test('internal users: personal keys for themselves within their own models and budget', () => {
  const carol = caller('internal_user', 'carol');
  const owner = { user_id: 'carol', models: ['gpt-4o-mini'], max_budget: 5 };
  assert.equal(keyWriteRefusal(write({ caller: carol, userId: 'carol', owner, input: { models: ['gpt-4o-mini'], max_budget: 5 } })), null);
  assert.match(keyWriteRefusal(write({ caller: carol, userId: 'bob', owner }))!, /only create keys for themselves/);
  assert.match(keyWriteRefusal(write({ caller: carol, userId: 'carol', owner, input: { models: ['gpt-4o'] } }))!, /user not allowed to access model/);
  assert.match(keyWriteRefusal(write({ caller: carol, userId: 'carol', owner, input: { max_budget: 6 } }))!, /higher than user/);
  const other = { token: 'k'.repeat(64), user_id: 'bob', team_id: null };
  assert.match(keyWriteRefusal(write({ caller: carol, userId: 'bob', current: other, route: '/key/update' }))!, /not authorized to update/);
});

test('key columns: metadata-held fields merge into metadata; duration -1 clears expiry; spend is read-only', () => {
  const now = new Date('2025-01-01T00:00:00Z');
  const c = keyColumnsFrom({ metadata: { a: 1 }, guardrails: ['g'], model_rpm_limit: { m: 1 }, duration: '1h', key_type: 'llm_api' }, null, now);
  assert.deepEqual(c.metadata, { a: 1, guardrails: ['g'], model_rpm_limit: { m: 1 } });
  assert.equal(c.expires?.toISOString(), '2025-01-01T01:00:00.000Z');
  assert.deepEqual(c.allowed_routes, ['llm_api_routes']);
  const cleared = keyColumnsFrom({ duration: '-1' }, { metadata: { a: 1 } } as never, now);
  assert.equal(cleared.expires, null);
  assert.equal(cleared.metadata, undefined, 'metadata untouched when not sent');
  assert.throws(() => keyColumnsFrom({ spend: 5 }, null, now), /spend is read-only/);
});
