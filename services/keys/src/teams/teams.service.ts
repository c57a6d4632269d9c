import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { randomUUID } from 'node:crypto';
import type { ManagementRequest, TeamDeleteResponse, TeamInfoResponse, TeamListResponse, TeamRow, TeamUpdateResponse } from '@tollgate/contracts';
import {
  canViewAll, isProxyAdmin, isTeamMember, requireProxyAdmin, requireTeamAdmin, requireUser, teamAdminChangeRefused,
} from '../access/access.policy';
import { AccessService } from '../access/access.service';
import { ChangesPublisher } from '../changes/changes.publisher';
import { mapDbError } from '../common/db-errors';
import { addDuration, parseDuration } from '../common/duration';
import { badRequest, forbidden, notFound, unprocessable } from '../common/errors';
import { asRecord, asStringList, num } from '../common/rows';
import { MAX_JSON_FIELD_BYTES, parseInput } from '../common/validation';
import { toKeyRow } from '../keys/keys.mapping';
import { KeysRepository } from '../keys/keys.repository';
import { TeamEntity } from './team.entity';
import { MembersService } from './members.service';
import { toMembership, toTeamRow } from './teams.mapping';
import { TeamColumns, TeamsRepository } from './teams.repository';
import { DeleteTeamsSchema, NewTeamSchema, TEAM_METADATA_FIELDS, TeamListSchema, TeamRefSchema, UpdateTeamInput, UpdateTeamSchema } from './teams.schemas';

/** /team/new, /team/update, /team/info, /team/list, /team/delete, /team/block, /team/unblock. */
@Injectable()
export class TeamsService {
  constructor(
    private readonly access: AccessService,
    private readonly teams: TeamsRepository,
    private readonly keys: KeysRepository,
    private readonly members: MembersService,
    private readonly changes: ChangesPublisher,
  ) {}

  async create(req: ManagementRequest): Promise<TeamRow> {
    const caller = await this.access.caller(req.caller);
    requireProxyAdmin(caller, '/team/new');
    const input = parseInput(NewTeamSchema, req.body);
    const teamId = input.team_id ?? randomUUID();
    return this.tx(async (m) => {
      if (await this.teams.find(m, teamId)) throw badRequest(`Team id = ${teamId} already exists. Please use a different team id.`, 'team_id');
      await this.teams.insert(m, { ...teamColumns(input, null), team_id: teamId }, caller.userId);
      const list = [...(input.members_with_roles ?? [])];
      if (!caller.isMaster && caller.userId && !list.some((x) => x.user_id === caller.userId)) list.push({ user_id: caller.userId, role: 'admin' });
      for (const member of list) {
        const user = await this.members.findOrCreateUser(m, member, caller);
        if (!(await this.teams.membership(m, teamId, user.user_id))) await this.teams.addMember(m, teamId, user.user_id, member.role);
      }
      return this.row(m, (await this.teams.find(m, teamId))!);
    });
  }

  async update(req: ManagementRequest): Promise<TeamUpdateResponse> {
    const caller = await this.access.caller(req.caller);
    const input = parseInput(UpdateTeamSchema, req.body);
    requireTeamAdmin(caller, input.team_id, '/team/update');
    const data = await this.tx(async (m) => {
      const current = await this.teams.find(m, input.team_id, true);
      if (!current) throw notFound(`Team not found, passed team_id=${input.team_id}`, 'team_id');
      const cols = teamColumns(input, current);
      if (!isProxyAdmin(caller)) {
        const refusal = adminRefusal(current, input, cols);
        if (refusal) throw forbidden(refusal);
      }
      return this.row(m, await this.teams.update(m, input.team_id, cols, caller.userId));
    });
    this.changes.publish({ teamIds: [input.team_id] });
    return { team_id: input.team_id, data };
  }

  async info(req: ManagementRequest): Promise<TeamInfoResponse> {
    const caller = await this.access.caller(req.caller);
    const teamId = req.query?.team_id;
    if (!teamId) throw unprocessable('Malformed request. No team id passed in.', 'team_id');
    const m = this.keys.manager;
    const team = await this.teams.find(m, teamId);
    if (!team) throw notFound(`Team not found, passed team id: ${teamId}.`, 'team_id');
    if (!canViewAll(caller) && caller.keyTeamId !== teamId && !isTeamMember(caller, teamId)) {
      throw forbidden(`User=${caller.userId} not authorized to access this team=${teamId}`);
    }
    const [members, keys] = await Promise.all([this.teams.members(m, [teamId]), this.keys.forTeams([teamId], true)]);
    const row = toTeamRow(team, members);
    return {
      team_id: teamId,
      team_info: { ...row, litellm_model_table: Object.keys(row.model_aliases).length ? { model_aliases: row.model_aliases } : null },
      keys: keys.map(toKeyRow),
      team_memberships: members.map(toMembership),
    };
  }

  async list(req: ManagementRequest): Promise<TeamListResponse> {
    const caller = await this.access.caller(req.caller);
    requireUser(caller, '/team/list');
    const q = parseInput(TeamListSchema, req.query ?? {});
    if (!canViewAll(caller) && q.user_id !== undefined && q.user_id !== caller.userId) {
      throw forbidden(`Only admin users can query all teams/other teams. Your user role=${caller.role}`);
    }
    const userId = q.user_id ?? (canViewAll(caller) ? null : caller.userId);
    const teams = await this.teams.list(userId);
    const ids = teams.map((t) => t.team_id);
    const [members, keys] = await Promise.all([this.teams.members(this.keys.manager, ids), this.keys.forTeams(ids, false)]);
    return teams.map((t) => {
      const mine = members.filter((x) => x.team_id === t.team_id);
      return { ...toTeamRow(t, mine), team_memberships: mine.map(toMembership), keys: keys.filter((k) => k.team_id === t.team_id).map(toKeyRow) };
    });
  }

  async delete(req: ManagementRequest): Promise<TeamDeleteResponse> {
    const caller = await this.access.caller(req.caller);
    requireProxyAdmin(caller, '/team/delete');
    const ids = [...new Set(parseInput(DeleteTeamsSchema, req.body).team_ids)];
    const { rows, tokens } = await this.tx(async (m) => {
      const found = await this.teams.findMany(m, ids, true);
      const missing = ids.find((id) => !found.some((t) => t.team_id === id));
      if (missing !== undefined) throw notFound(`Team not found, passed team_id=${missing}`, 'team_ids');
      const rowsBefore = await Promise.all(found.map((t) => this.row(m, t)));
      const keys = await this.keys.findOwnedBy(m, { teamIds: ids });
      await this.keys.archive(m, keys, { reason: 'team_deleted', deletedBy: caller.userId, deletedByKey: caller.keyHash });
      await this.keys.delete(m, keys.map((k) => k.token));
      await this.teams.delete(m, ids);
      return { rows: rowsBefore, tokens: keys.map((k) => k.token) };
    });
    this.changes.publish({ teamIds: ids, keyHashes: tokens });
    return { deleted_teams: rows };
  }

  async setBlocked(req: ManagementRequest, blocked: boolean): Promise<TeamRow> {
    const caller = await this.access.caller(req.caller);
    requireProxyAdmin(caller, blocked ? '/team/block' : '/team/unblock');
    const { team_id: teamId } = parseInput(TeamRefSchema, req.body);
    const row = await this.tx(async (m) => {
      if (!(await this.teams.find(m, teamId, true))) throw notFound(`Team not found, passed team_id=${teamId}`, 'team_id');
      return this.row(m, await this.teams.update(m, teamId, { blocked }, caller.userId));
    });
    this.changes.publish({ teamIds: [teamId] });
    return row;
  }

  private async row(m: EntityManager, t: TeamEntity): Promise<TeamRow> {
    return toTeamRow(t, await this.teams.members(m, [t.team_id]));
  }

  private async tx<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.keys.transaction(work);
    } catch (e) {
      throw mapDbError(e);
    }
  }
}

/** what a team admin's update would change, judged by the team-admin rule */
function adminRefusal(current: TeamEntity, input: UpdateTeamInput, cols: TeamColumns): string | null {
  if (input.organization_id !== undefined && input.organization_id !== current.organization_id) return 'Team admins cannot move their team to another organization.';
  if (input.model_aliases !== undefined) return 'Team admins cannot change model_aliases; add team models with /model/new.';
  const guardrailsBefore = JSON.stringify(asRecord(current.metadata).guardrails ?? null);
  const guardrailsAfter = JSON.stringify(asRecord(cols.metadata ?? current.metadata).guardrails ?? null);
  return teamAdminChangeRefused(
    {
      models: asStringList(current.models), budget_duration: current.budget_duration, blocked: current.blocked,
      max_budget: num(current.max_budget), tpm_limit: num(current.tpm_limit), rpm_limit: num(current.rpm_limit), max_parallel_requests: current.max_parallel_requests,
    },
    {
      max_budget: input.max_budget, tpm_limit: input.tpm_limit, rpm_limit: input.rpm_limit, max_parallel_requests: input.max_parallel_requests,
      models: input.models === undefined ? undefined : input.models ?? [], budget_duration: input.budget_duration, blocked: input.blocked,
      model_rpm_limit: input.model_rpm_limit, model_tpm_limit: input.model_tpm_limit, metadata_guardrails_changed: guardrailsBefore !== guardrailsAfter,
    },
  );
}

type TeamInput = Partial<UpdateTeamInput>;

/** request fields → columns (only those present); metadata-held fields merged into metadata */
function teamColumns(input: TeamInput, current: TeamEntity | null): TeamColumns {
  if (input.spend !== undefined && input.spend !== 0) throw badRequest('spend is read-only: it is written by the budget service from usage', 'spend');
  const c: TeamColumns = current === null ? { models: [], metadata: {}, model_aliases: {}, blocked: false } : {};
  const dec = (v: number | null): string | null => (v === null ? null : String(v));
  if (input.team_alias !== undefined) c.team_alias = input.team_alias;
  if (input.organization_id !== undefined) c.organization_id = input.organization_id;
  if (input.team_member_permissions !== undefined) c.team_member_permissions = input.team_member_permissions;
  if (input.tpm_limit !== undefined) c.tpm_limit = dec(input.tpm_limit);
  if (input.rpm_limit !== undefined) c.rpm_limit = dec(input.rpm_limit);
  if (input.max_parallel_requests !== undefined) c.max_parallel_requests = input.max_parallel_requests;
  if (input.max_budget !== undefined) c.max_budget = dec(input.max_budget);
  if (input.models !== undefined) c.models = input.models ?? [];
  if (input.blocked !== undefined) c.blocked = input.blocked;
  if (input.model_aliases !== undefined) c.model_aliases = input.model_aliases ?? {};
  if (input.budget_duration !== undefined) {
    const d = input.budget_duration ? parseDuration(input.budget_duration) : null;
    c.budget_duration = input.budget_duration;
    // LiteLLM's team path: now + duration (not the standardized boundary)
    c.budget_reset_at = d ? addDuration(d, new Date()) : null;
  }
  const touched = TEAM_METADATA_FIELDS.filter((f) => input[f] !== undefined);
  if (input.metadata !== undefined || touched.length > 0) {
    const base: Record<string, unknown> = { ...(input.metadata !== undefined ? input.metadata ?? {} : asRecord(current?.metadata)) };
    for (const f of touched) {
      if (input[f] === null) delete base[f];
      else base[f] = input[f];
    }
    if (Buffer.byteLength(JSON.stringify(base)) > MAX_JSON_FIELD_BYTES) throw badRequest(`metadata is too large: at most ${MAX_JSON_FIELD_BYTES} bytes of JSON`, 'metadata');
    c.metadata = base;
  }
  return c;
}
