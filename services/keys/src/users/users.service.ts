import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { ManagementRequest, NewUserResponse, UserDeleteResponse, UserInfoResponse, UserListResponse, UserUpdateResponse } from '@tollgate/contracts';
import { randomUUID } from 'node:crypto';
import { canViewAll, isProxyAdmin, isTeamAdmin, requireProxyAdmin, requireUser, requireViewAll, requireWriter } from '../access/access.policy';
import { AccessService } from '../access/access.service';
import { ChangesPublisher } from '../changes/changes.publisher';
import { mapDbError } from '../common/db-errors';
import { nextResetAt, parseDuration } from '../common/duration';
import { badRequest, conflict, forbidden, notFound } from '../common/errors';
import { parseInput } from '../common/validation';
import { toKeyRow } from '../keys/keys.mapping';
import { KeysRepository } from '../keys/keys.repository';
import { KeysService } from '../keys/keys.service';
import { toTeamRow } from '../teams/teams.mapping';
import { TeamsRepository } from '../teams/teams.repository';
import { toUserRow } from './users.mapping';
import { UserColumns, UsersRepository } from './users.repository';
import { DeleteUsersSchema, ListUsersSchema, NewUserInput, NewUserSchema, UpdateUserInput, UpdateUserSchema, UserInfoSchema } from './users.schemas';

const ADMIN_ONLY_FIELDS = ['user_role', 'max_budget', 'budget_duration', 'models', 'tpm_limit', 'rpm_limit', 'max_parallel_requests'] as const;

/** /user/*: users, their first key and their team memberships. */
@Injectable()
export class UsersService {
  constructor(
    private readonly access: AccessService,
    private readonly users: UsersRepository,
    private readonly teams: TeamsRepository,
    private readonly keys: KeysRepository,
    private readonly keyWriter: KeysService,
    private readonly changes: ChangesPublisher,
  ) {}

  async create(req: ManagementRequest): Promise<NewUserResponse> {
    const caller = await this.access.caller(req.caller);
    requireProxyAdmin(caller, '/user/new');
    const input = parseInput(NewUserSchema, req.body);
    const userId = input.user_id ?? randomUUID();
    const result = await this.tx(async (m) => {
      if (await this.users.find(m, userId)) throw conflict(`User with id ${userId} already exists`, 'user_id');
      if (input.user_email && (await this.users.findByEmail(m, input.user_email))) throw conflict(`User with email ${input.user_email} already exists`, 'user_email');
      const user = await this.users.insert(m, { ...userColumns(input, true), user_id: userId }, caller.userId);
      const teamIds: string[] = [];
      for (const t of input.teams ?? []) {
        const ref = typeof t === 'string' ? { team_id: t } : t;
        if (!(await this.teams.find(m, ref.team_id))) throw badRequest(`Team id=${ref.team_id} does not exist in db`, 'teams');
        const budget = 'max_budget_in_team' in ref && ref.max_budget_in_team != null ? String(ref.max_budget_in_team) : null;
        await this.teams.addMember(m, ref.team_id, userId, ('user_role' in ref && ref.user_role) || 'user', { max_budget_in_team: budget });
        teamIds.push(ref.team_id);
      }
      if (input.auto_create_key === false) return { user, teamIds, key: null };
      const key = await this.keyWriter.createKeyIn(m, caller, {
        user_id: userId, models: input.models ?? [], duration: input.duration, key_alias: input.key_alias, aliases: input.aliases,
        config: input.config, permissions: input.permissions, guardrails: input.guardrails, blocked: input.blocked,
        model_max_budget: input.model_max_budget, model_rpm_limit: input.model_rpm_limit, model_tpm_limit: input.model_tpm_limit,
      }, '/user/new');
      return { user, teamIds, key };
    });
    const { spend: _spend, ...user } = toUserRow(result.user, result.teamIds);
    const key = result.key && toKeyRow(result.key.entity);
    return {
      ...user,
      key: result.key?.raw ?? '',
      key_name: key?.key_name ?? null,
      key_alias: key?.key_alias ?? null,
      expires: key?.expires ?? null,
    };
  }

  async info(req: ManagementRequest): Promise<UserInfoResponse> {
    const caller = await this.access.caller(req.caller);
    requireUser(caller, '/user/info');
    const q = parseInput(UserInfoSchema, req.query ?? {});
    const m = this.keys.manager;
    if (q.user_id === undefined && isProxyAdmin(caller)) {
      const own = caller.userId ? await this.users.find(m, caller.userId) : null;
      const [teams, keys] = await Promise.all([this.teamRows(await this.teams.list(null)), this.keys.forUser(null)]);
      return { user_id: caller.userId, user_info: own && toUserRow(own, []), teams, keys: keys.map((k) => ({ ...toKeyRow(k), team_alias: teams.find((t) => t.team_id === k.team_id)?.team_alias ?? null })) };
    }
    const userId = q.user_id ?? caller.userId!;
    const user = await this.users.find(m, userId);
    if (!user) throw notFound(`User ${userId} not found`, 'user_id');
    const teamIds = (await this.teams.teamIdsOf(m, [userId])).get(userId) ?? [];
    const adminOfTheirTeam = teamIds.some((t) => isTeamAdmin(caller, t));
    if (!canViewAll(caller) && userId !== caller.userId && !adminOfTheirTeam) {
      throw forbidden(`key not allowed to access this user's info. user_id=${userId}`);
    }
    const teams = await this.teamRows(await this.teams.findMany(m, teamIds));
    teams.sort((a, b) => (a.team_alias ?? '').localeCompare(b.team_alias ?? ''));
    const keys = await this.keys.forUser(userId);
    return {
      user_id: userId,
      user_info: toUserRow(user, teamIds),
      keys: keys.map((k) => ({ ...toKeyRow(k), team_alias: teams.find((t) => t.team_id === k.team_id)?.team_alias ?? null })),
      teams,
    };
  }

  async update(req: ManagementRequest): Promise<UserUpdateResponse> {
    const caller = await this.access.caller(req.caller);
    requireWriter(caller, '/user/update');
    const input = parseInput(UpdateUserSchema, req.body);
    const admin = isProxyAdmin(caller);
    if (!admin && input.user_role !== undefined) throw forbidden('Only proxy admins can modify user roles.');
    const touched = ADMIN_ONLY_FIELDS.find((f) => input[f] !== undefined);
    if (!admin && touched) throw forbidden(`Only proxy admins can change a user's ${touched}.`);
    const { user, teamIds } = await this.tx(async (m) => {
      let current = input.user_id !== undefined ? await this.users.find(m, input.user_id, true) : await this.users.findByEmail(m, input.user_email!);
      if (current && current.user_id !== caller.userId && !admin) {
        throw forbidden('User does not have permission to update this user. Only PROXY_ADMIN can update other users.');
      }
      if (!current) {
        // LiteLLM creates the user when updating by an unknown email; only an admin may do that here
        if (!admin) throw forbidden('User does not have permission to update this user. Only PROXY_ADMIN can update other users.');
        if (input.user_id !== undefined) throw notFound(`User not found, passed user_id=${input.user_id}`, 'user_id');
        current = await this.users.insert(m, { ...userColumns(input, true), user_id: randomUUID() }, caller.userId);
      } else if (input.user_email && input.user_email.toLowerCase() !== (current.user_email ?? '').toLowerCase()) {
        if (await this.users.findByEmail(m, input.user_email)) throw conflict(`User with email ${input.user_email} already exists`, 'user_email');
      }
      const updated = await this.users.update(m, current.user_id, userColumns(input, false), caller.userId);
      return { user: updated, teamIds: (await this.teams.teamIdsOf(m, [updated.user_id])).get(updated.user_id) ?? [] };
    });
    this.changes.publish({ userIds: [user.user_id] });
    return { user_id: user.user_id, data: toUserRow(user, teamIds) };
  }

  async delete(req: ManagementRequest): Promise<UserDeleteResponse> {
    const caller = await this.access.caller(req.caller);
    requireProxyAdmin(caller, '/user/delete');
    const input = parseInput(DeleteUsersSchema, req.body);
    const ids = [...new Set(input.user_ids)];
    const { count, tokens } = await this.tx(async (m) => {
      const found = await this.users.findMany(m, ids);
      const missing = ids.find((id) => !found.some((u) => u.user_id === id));
      if (missing !== undefined) throw notFound(`User not found, passed user_id=${missing}`, 'user_ids');
      const keys = await this.keys.findOwnedBy(m, { userIds: ids });
      await this.keys.archive(m, keys, { reason: 'user_deleted', deletedBy: caller.userId, deletedByKey: caller.keyHash });
      await this.keys.delete(m, keys.map((k) => k.token));
      return { count: await this.users.delete(m, ids), tokens: keys.map((k) => k.token) };
    });
    this.changes.publish({ userIds: ids, keyHashes: tokens });
    return count;
  }

  async list(req: ManagementRequest): Promise<UserListResponse> {
    const caller = await this.access.caller(req.caller);
    requireViewAll(caller, '/user/list', 'Only proxy admins and organization admins can list users.');
    const q = parseInput(ListUsersSchema, req.query ?? {});
    const page = q.page ?? 1;
    const pageSize = q.page_size ?? 25;
    const { rows, total } = await this.users.list({
      role: q.role,
      userIds: q.user_ids !== undefined ? q.user_ids.split(',').map((s) => s.trim()).filter(Boolean) : undefined,
      emailLike: q.user_email,
      teamId: q.team,
      sortBy: q.sort_by ?? 'created_at',
      sortOrder: q.sort_order === 'desc' ? 'DESC' : 'ASC',
      limit: pageSize,
      offset: (page - 1) * pageSize,
    });
    const teamsOf = await this.teams.teamIdsOf(this.keys.manager, rows.map((r) => r.user_id));
    return {
      users: rows.map((r) => ({ ...toUserRow(r, teamsOf.get(r.user_id) ?? []), key_count: r.key_count })),
      total,
      page,
      page_size: pageSize,
      total_pages: Math.ceil(total / pageSize),
    };
  }

  private async teamRows(teams: Awaited<ReturnType<TeamsRepository['list']>>) {
    const members = await this.teams.members(this.keys.manager, teams.map((t) => t.team_id));
    return teams.map((t) => toTeamRow(t, members.filter((mm) => mm.team_id === t.team_id)));
  }

  private async tx<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.keys.transaction(work);
    } catch (e) {
      throw mapDbError(e);
    }
  }
}

/**
 * Request fields → columns. On update LiteLLM writes only non-null, non-empty values, except
 * max_budget, which is written whenever present (it may be set back to null).
 */
function userColumns(input: Partial<NewUserInput & UpdateUserInput>, create: boolean): UserColumns {
  const c: UserColumns = {};
  const keep = (v: unknown): boolean => (create ? v !== undefined : v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0) && !(typeof v === 'object' && v !== null && Object.keys(v).length === 0));
  if (input.spend !== undefined && input.spend !== 0) throw badRequest('spend is read-only: it is written by the budget service from usage', 'spend');
  if (keep(input.user_email)) c.user_email = input.user_email ?? null;
  if (keep(input.user_alias)) c.user_alias = input.user_alias ?? null;
  if (input.user_role !== undefined) c.user_role = input.user_role;
  if (input.max_budget !== undefined) c.max_budget = input.max_budget === null ? null : String(input.max_budget);
  if (keep(input.models)) c.models = input.models ?? [];
  if (keep(input.tpm_limit)) c.tpm_limit = input.tpm_limit == null ? null : String(input.tpm_limit);
  if (keep(input.rpm_limit)) c.rpm_limit = input.rpm_limit == null ? null : String(input.rpm_limit);
  if (keep(input.max_parallel_requests)) c.max_parallel_requests = input.max_parallel_requests ?? null;
  if (keep(input.metadata)) c.metadata = input.metadata ?? {};
  if (keep(input.budget_duration)) {
    const d = input.budget_duration ? parseDuration(input.budget_duration) : null;
    c.budget_duration = input.budget_duration ?? null;
    c.budget_reset_at = d ? nextResetAt(d, new Date()) : null;
  }
  if (create && c.models === undefined) c.models = [];
  if (create && c.metadata === undefined) c.metadata = {};
  return c;
}
