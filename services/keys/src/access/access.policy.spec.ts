import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TeamMemberRole, UserRole } from '@tollgate/contracts';
import { TollgateError } from '@tollgate/contracts';
import {
  canModifyKey, canReadKey, keyOutsideTeam, limitAbove, modelAllowed, requireProxyAdmin, requireTeamAdmin, requireUser, requireWriter, teamAdminChangeRefused,
} from './access.policy';
import { Caller, masterCaller } from './caller';

const caller = (role: UserRole | null, userId: string | null, teams: [string, TeamMemberRole][] = [], keyHash = 'h'.repeat(64)): Caller => ({
  isMaster: false, keyHash, userId, role, keyTeamId: null, teams: new Map(teams),
});
const is403 = (e: unknown): boolean => e instanceof TollgateError && e.status === 403;

test('the master key is a proxy admin; a key without a user may not manage anything', () => {
  assert.doesNotThrow(() => requireProxyAdmin(masterCaller(), '/team/new'));
  assert.throws(() => requireUser(caller(null, null), '/key/generate'), is403);
  assert.throws(() => requireProxyAdmin(caller('internal_user', 'u'), '/user/new'), is403);
});

test('viewer roles read but never write', () => {
  assert.throws(() => requireWriter(caller('proxy_admin_viewer', 'v'), '/key/generate'), is403);
  assert.throws(() => requireWriter(caller('internal_user_viewer', 'v'), '/key/update'), is403);
  assert.doesNotThrow(() => requireWriter(caller('internal_user', 'u'), '/key/generate'));
  const key = { token: 'x'.repeat(64), user_id: 'other', team_id: null };
  assert.equal(canReadKey(caller('proxy_admin_viewer', 'v'), key), true);
  assert.equal(canModifyKey(caller('proxy_admin_viewer', 'v'), key), false);
});

test('keys: owners and their team admins may modify; others may not', () => {
  const teamKey = { token: 'x'.repeat(64), user_id: 'bob', team_id: 'A' };
  assert.equal(canModifyKey(caller('internal_user', 'alice', [['A', 'admin']]), teamKey), true);
  assert.equal(canModifyKey(caller('internal_user', 'bob', [['A', 'user']]), teamKey), true);
  assert.equal(canModifyKey(caller('internal_user', 'carol', [['A', 'user']]), teamKey), false);
  assert.equal(canModifyKey(caller('internal_user', 'alice', [['B', 'admin']]), teamKey), false);
  assert.equal(canReadKey(caller('internal_user', 'carol', [['A', 'user']]), teamKey), true);
  assert.equal(canReadKey(caller(null, null, [], teamKey.token), teamKey), true, 'a key may read itself');
});

test('team admin rights stop at their own team', () => {
  assert.doesNotThrow(() => requireTeamAdmin(caller('internal_user', 'alice', [['A', 'admin']]), 'A', '/team/member_add'));
  assert.throws(() => requireTeamAdmin(caller('internal_user', 'alice', [['A', 'admin']]), 'B', '/team/member_add'), is403);
  assert.throws(() => requireTeamAdmin(caller('internal_user', 'bob', [['A', 'user']]), 'A', '/team/member_add'), is403);
});

test('model access: [] is everything, wildcards and exact names match', () => {
  assert.equal(modelAllowed('gpt-4o', []), true);
  assert.equal(modelAllowed('gpt-4o', ['all-proxy-models']), true);
  assert.equal(modelAllowed('openai/gpt-4o', ['openai/*']), true);
  assert.equal(modelAllowed('gpt-5', ['gpt-4o']), false);
});

test('a team key stays inside the team: models and limits', () => {
  const team = { team_id: 'A', models: ['gpt-4o'], max_budget: 100, tpm_limit: 1000 };
  assert.equal(keyOutsideTeam({ models: ['gpt-4o'], max_budget: 100 }, team), null);
  assert.equal(keyOutsideTeam({ models: ['all-team-models'] }, team), null);
  assert.match(keyOutsideTeam({ models: ['gpt-5'] }, team)!, /cannot use models \[gpt-5\]/);
  assert.match(keyOutsideTeam({ max_budget: 101 }, team)!, /max_budget=101/);
  assert.match(keyOutsideTeam({ tpm_limit: 2000 }, team)!, /tpm_limit=2000/);
  assert.equal(limitAbove({ rpm_limit: 10 }, { rpm_limit: null }, 'key', 'team'), null, 'no team limit, no ceiling');
});

test('a team admin may lower their team but never raise it', () => {
  const now = { models: ['gpt-4o', 'gpt-4o-mini'], budget_duration: '30d', blocked: false, max_budget: 100, tpm_limit: 1000, rpm_limit: null };
  assert.equal(teamAdminChangeRefused(now, { max_budget: 50, models: ['gpt-4o'] }), null);
  assert.equal(teamAdminChangeRefused(now, { rpm_limit: 10 }), null, 'unlimited → a limit is a restriction');
  assert.match(teamAdminChangeRefused(now, { max_budget: 101 })!, /cannot raise their team's max_budget/);
  assert.match(teamAdminChangeRefused(now, { tpm_limit: null })!, /tpm_limit/);
  assert.match(teamAdminChangeRefused(now, { models: ['gpt-5'] })!, /cannot add models/);
  assert.match(teamAdminChangeRefused(now, { models: [] })!, /all models/);
  assert.match(teamAdminChangeRefused(now, { budget_duration: '1d' })!, /budget_duration/);
  assert.match(teamAdminChangeRefused(now, { blocked: true })!, /block/);
  assert.match(teamAdminChangeRefused(now, { metadata_guardrails_changed: true })!, /guardrails/);
});
