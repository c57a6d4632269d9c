import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { GenerateKeyResponse, KeyDeleteResponse, KeyRow, KeyUpdateResponse, ManagementRequest } from '@tollgate/contracts';
import { canModifyKey, isProxyAdmin, isTeamAdmin, requireWriter } from '../access/access.policy';
import { AccessService } from '../access/access.service';
import { Caller } from '../access/caller';
import { ChangesPublisher } from '../changes/changes.publisher';
import { mapDbError } from '../common/db-errors';
import { badRequest, forbidden, notFound } from '../common/errors';
import { abbreviateKey, assertCustomKey, generateRawKey, hashKey, maskKey, toKeyHash } from '../common/key-material';
import { asStringList, num } from '../common/rows';
import { parseInput } from '../common/validation';
import { TeamsRepository } from '../teams/teams.repository';
import { UsersRepository } from '../users/users.repository';
import { KeyEntity } from './key.entity';
import { keyColumnsFrom, toKeyRow } from './keys.mapping';
import { KeysRepository } from './keys.repository';
import { keyWriteRefusal } from './keys.rules';
import { DeleteKeysSchema, GenerateKeySchema, KeyFieldsInput, KeyRefSchema, RegenerateKeySchema, UpdateKeySchema } from './keys.schemas';

/** Key writes: generate, update, regenerate, delete, block. Each in one transaction; keys.changed after commit. */
@Injectable()
export class KeysService {
  constructor(
    private readonly access: AccessService,
    private readonly keys: KeysRepository,
    private readonly teams: TeamsRepository,
    private readonly users: UsersRepository,
    private readonly changes: ChangesPublisher,
  ) {}

  async generate(req: ManagementRequest): Promise<GenerateKeyResponse> {
    const caller = await this.access.caller(req.caller);
    requireWriter(caller, '/key/generate');
    const input = parseInput(GenerateKeySchema, req.body);
    const { entity, raw } = await this.tx((m) => this.createKeyIn(m, caller, input, '/key/generate'));
    return generateResponse(input, entity, raw);
  }

  /** Also used by /user/new for the user's first key, inside its transaction. */
  async createKeyIn(m: EntityManager, caller: Caller, input: KeyFieldsInput & { key?: string }, route: string): Promise<{ entity: KeyEntity; raw: string }> {
    const userId = input.user_id !== undefined ? input.user_id : isProxyAdmin(caller) ? null : caller.userId;
    await this.authorize(m, caller, route, input, null, userId);
    if (input.key !== undefined) assertCustomKey(input.key);
    const raw = input.key ?? generateRawKey();
    const token = hashKey(raw);
    if (await this.keys.find(m, token)) throw badRequest('A key with this value already exists.', 'key');
    await this.assertAliasFree(m, input.key_alias, null);
    const cols = keyColumnsFrom({ ...input, user_id: userId }, null, new Date());
    return { entity: await this.keys.insert(m, token, abbreviateKey(raw), cols, caller.userId), raw };
  }

  async update(req: ManagementRequest): Promise<KeyUpdateResponse> {
    const caller = await this.access.caller(req.caller);
    requireWriter(caller, '/key/update');
    const input = parseInput(UpdateKeySchema, req.body);
    const token = toKeyHash(input.key);
    const entity = await this.tx(async (m) => {
      const current = await this.keys.find(m, token, true);
      if (!current) throw notFound(`Key not found, passed key=${maskKey(input.key)}`, 'key');
      await this.authorize(m, caller, '/key/update', input, current, input.user_id !== undefined ? input.user_id : current.user_id);
      await this.assertAliasFree(m, input.key_alias, token);
      return this.keys.update(m, token, keyColumnsFrom(input, current, new Date()), caller.userId);
    });
    this.changes.publish({ keyHashes: [token] });
    const { token: hash, ...row } = toKeyRow(entity);
    return { ...row, key: input.key, token: hash };
  }

  async regenerate(req: ManagementRequest): Promise<GenerateKeyResponse> {
    const caller = await this.access.caller(req.caller);
    requireWriter(caller, '/key/regenerate');
    const input = parseInput(RegenerateKeySchema, req.body);
    const passed = req.params?.key ?? input.key;
    if (!passed) throw badRequest('No key passed in.', 'key');
    const token = toKeyHash(passed);
    const { key: _ignored, new_key: newKey, grace_period: _grace, ...fields } = input;
    const { entity, raw } = await this.tx(async (m) => {
      const current = await this.keys.find(m, token, true);
      if (!current) throw notFound(`Key ${maskKey(passed)} not found.`, 'key');
      await this.authorize(m, caller, '/key/regenerate', fields, current, fields.user_id !== undefined ? fields.user_id : current.user_id);
      if (newKey !== undefined) assertCustomKey(newKey, 'new_key');
      const fresh = newKey ?? generateRawKey();
      const freshToken = hashKey(fresh);
      if (await this.keys.find(m, freshToken)) throw badRequest('A key with this value already exists.', 'new_key');
      await this.assertAliasFree(m, fields.key_alias, token);
      await this.keys.archive(m, [current], { reason: 'regenerated', deletedBy: caller.userId, deletedByKey: caller.keyHash });
      const cols = { ...keyColumnsFrom(fields, current, new Date()), token: freshToken, key_name: abbreviateKey(fresh) };
      return { entity: await this.keys.update(m, token, cols, caller.userId), raw: fresh };
    });
    this.changes.publish({ keyHashes: [token] });
    return generateResponse(fields, entity, raw);
  }

  async delete(req: ManagementRequest): Promise<KeyDeleteResponse> {
    const caller = await this.access.caller(req.caller);
    requireWriter(caller, '/key/delete');
    const input = parseInput(DeleteKeysSchema, req.body);
    const hashes = (input.keys ?? []).map((k) => toKeyHash(k, 'keys'));
    const deleted = await this.tx(async (m) => {
      const rows = await this.keys.findMany(m, { tokens: hashes, aliases: input.key_aliases ?? [] }, true);
      if (rows.length === 0) throw notFound('No keys found', 'keys');
      for (const r of rows) {
        if (!canModifyKey(caller, r)) throw forbidden('You are not authorized to delete this key');
      }
      await this.keys.archive(m, rows, { reason: 'deleted', deletedBy: caller.userId, deletedByKey: caller.keyHash });
      await this.keys.delete(m, rows.map((r) => r.token));
      return rows.map((r) => r.token);
    });
    this.changes.publish({ keyHashes: deleted });
    return { deleted_keys: input.keys?.length ? input.keys : input.key_aliases ?? [] };
  }

  async setBlocked(req: ManagementRequest, blocked: boolean): Promise<KeyRow> {
    const route = blocked ? '/key/block' : '/key/unblock';
    const caller = await this.access.caller(req.caller);
    requireWriter(caller, route);
    const input = parseInput(KeyRefSchema, req.body);
    const token = toKeyHash(input.key);
    const entity = await this.tx(async (m) => {
      const current = await this.keys.find(m, token, true);
      if (!current) throw notFound(`Key not found, passed key=${maskKey(input.key)}`, 'key');
      if (!isProxyAdmin(caller) && !isTeamAdmin(caller, current.team_id)) {
        throw forbidden(`Only proxy admins and admins of the key's team can call ${route}. Your role=${caller.role}`);
      }
      return this.keys.update(m, token, { blocked }, caller.userId);
    });
    this.changes.publish({ keyHashes: [token] });
    return toKeyRow(entity);
  }

  /** loads the key's team, membership and owner as they will be after the write, then applies the rules */
  private async authorize(m: EntityManager, caller: Caller, route: string, input: KeyFieldsInput, current: KeyEntity | null, userId: string | null): Promise<void> {
    const teamId = input.team_id !== undefined ? input.team_id : current?.team_id ?? null;
    const team = teamId !== null ? await this.teams.find(m, teamId) : null;
    if (teamId !== null && !team) throw badRequest(`Unable to find team object in database. Team ID: ${teamId}`, 'team_id');
    const admin = isProxyAdmin(caller);
    const membership = team && userId !== null && !admin ? await this.teams.membership(m, team.team_id, userId) : null;
    const owner = !team && userId !== null && !admin ? await this.users.find(m, userId) : null;
    const refusal = keyWriteRefusal({
      caller, route, input, userId,
      current: current && { token: current.token, user_id: current.user_id, team_id: current.team_id },
      team: team && {
        team_id: team.team_id, models: asStringList(team.models), team_member_permissions: team.team_member_permissions,
        max_budget: num(team.max_budget), tpm_limit: num(team.tpm_limit), rpm_limit: num(team.rpm_limit), max_parallel_requests: team.max_parallel_requests,
      },
      userIsTeamMember: membership !== null,
      owner: owner && {
        user_id: owner.user_id, models: asStringList(owner.models), max_budget: num(owner.max_budget),
        tpm_limit: num(owner.tpm_limit), rpm_limit: num(owner.rpm_limit), max_parallel_requests: owner.max_parallel_requests,
      },
    });
    if (refusal) throw forbidden(refusal);
  }

  private async assertAliasFree(m: EntityManager, alias: string | null | undefined, exceptToken: string | null): Promise<void> {
    if (alias && (await this.keys.aliasTaken(m, alias, exceptToken))) {
      throw badRequest(`Key with alias '${alias}' already exists. Unique key aliases across all keys are required.`, 'key_alias');
    }
  }

  private async tx<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.keys.transaction(work);
    } catch (e) {
      throw mapDbError(e);
    }
  }
}

/** the request's fields echoed, the stored row over them, the raw key once */
export function generateResponse(input: KeyFieldsInput & { key?: string }, entity: KeyEntity, raw: string): GenerateKeyResponse {
  const { key: _raw, ...echo } = input;
  const row = toKeyRow(entity);
  return { ...echo, ...row, key: raw, token_id: row.token, duration: input.duration ?? null, litellm_budget_table: null };
}
