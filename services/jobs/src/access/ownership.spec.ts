import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JobsCaller } from '@tollgate/contracts';
import { canSee, ownerOf, visibleSql } from './ownership';

const caller = (keyHash: string, teamId: string | null, isAdmin = false): JobsCaller => ({ keyHash, teamId, isAdmin, userId: null, keyAlias: null, teamAlias: null });

test('team members see the team\'s objects; other teams do not', () => {
  const row = ownerOf(caller('k1', 'team-a'));
  assert.equal(canSee(row, caller('k2', 'team-a')), true);
  assert.equal(canSee(row, caller('k3', 'team-b')), false);
  assert.equal(canSee(row, caller('k4', null)), false);
});

test('a key without a team sees only its own objects; admins see all', () => {
  const row = ownerOf(caller('k1', null));
  assert.equal(canSee(row, caller('k1', null)), true);
  assert.equal(canSee(row, caller('k2', null)), false);
  assert.equal(canSee(row, caller('k2', 'team-a')), false);
  assert.equal(canSee(row, caller('admin', null, true)), true);
});

test('the SQL form binds the key and team', () => {
  const p: unknown[] = ['x'];
  assert.equal(visibleSql(caller('k1', 't1'), p), '("owner_key_hash" = $2 OR "owner_team_id" = $3)');
  assert.deepEqual(p, ['x', 'k1', 't1']);
  assert.equal(visibleSql(caller('a', null, true), []), 'TRUE');
});
