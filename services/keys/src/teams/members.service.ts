import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { randomUUID } from 'node:crypto';
import type { ManagementRequest, TeamMemberAddResponse, TeamMemberUpdateResponse, TeamRow } from '@tollgate/contracts';
import { isProxyAdmin, limitAbove, requireTeamAdmin } from '../access/access.policy';
import { AccessService } from '../access/access.service';
import { Caller } from '../access/caller';
import { ChangesPublisher } from '../changes/changes.publisher';
import { mapDbError } from '../common/db-errors';
import { badRequest, forbidden, notFound } from '../common/errors';
import { num } from '../common/rows';
import { parseInput } from '../common/validation';
import { KeysRepository } from '../keys/keys.repository';
import { UserEntity } from '../users/user.entity';
import { UsersRepository } from '../users/users.repository';
import { TeamEntity } from './team.entity';
import { toMembership, toTeamRow } from './teams.mapping';
import { MemberColumns, TeamsRepository } from './teams.repository';
import { MemberAddSchema, MemberDeleteSchema, MemberUpdateSchema } from './teams.schemas';

/** /team/member_add, /team/member_delete, /team/member_update: proxy admins and the team's admins. */
@Injectable()
export class MembersService {
  constructor(
    private readonly access: AccessService,
    private readonly teams: TeamsRepository,
    private readonly users: UsersRepository,
    private readonly keys: KeysRepository,
    private readonly changes: ChangesPublisher,
  ) {}

  async add(req: ManagementRequest): Promise<TeamMemberAddResponse> {
    const caller = await this.access.caller(req.caller);
    const input = parseInput(MemberAddSchema, req.body);
    requireTeamAdmin(caller, input.team_id, '/team/member_add');
    const list = Array.isArray(input.member) ? input.member : [input.member];
    const result = await this.tx(async (m) => {
      const team = await this.lockTeam(m, input.team_id);
      const budget = input.max_budget_in_team ?? null;
      if (!isProxyAdmin(caller)) this.refuseAboveTeam(team, { max_budget: budget });
      const users: UserEntity[] = [];
      for (const member of list) {
        const user = await this.findOrCreateUser(m, member, caller);
        if (await this.teams.membership(m, team.team_id, user.user_id)) {
          const existing = (await this.teams.members(m, [team.team_id])).map((x) => x.user_id);
          throw badRequest(`User=${user.user_id} already in team. Existing members=[${existing.join(', ')}]`, 'member');
        }
        await this.teams.addMember(m, team.team_id, user.user_id, member.role, { max_budget_in_team: budget === null ? null : String(budget) });
        users.push(user);
      }
      const members = await this.teams.members(m, [team.team_id]);
      return { team, users, members };
    });
    this.changes.publish({ teamIds: [input.team_id], userIds: result.users.map((u) => u.user_id) });
    const added = new Set(result.users.map((u) => u.user_id));
    return {
      ...toTeamRow(result.team, result.members),
      updated_users: result.users.map((u) => ({ user_id: u.user_id, user_email: u.user_email, user_role: u.user_role })),
      updated_team_memberships: result.members.filter((x) => added.has(x.user_id)).map(toMembership),
    };
  }

  async remove(req: ManagementRequest): Promise<TeamRow> {
    const caller = await this.access.caller(req.caller);
    const input = parseInput(MemberDeleteSchema, req.body);
    requireTeamAdmin(caller, input.team_id, '/team/member_delete');
    const { row, userId } = await this.tx(async (m) => {
      const team = await this.teams.find(m, input.team_id, true);
      if (!team) throw badRequest(`Team id=${input.team_id} does not exist in db`, 'team_id');
      const userId = await this.memberId(m, team.team_id, input);
      await this.teams.removeMember(m, team.team_id, userId);
      return { row: toTeamRow(team, await this.teams.members(m, [team.team_id])), userId };
    });
    this.changes.publish({ teamIds: [input.team_id], userIds: [userId] });
    return row;
  }

  async update(req: ManagementRequest): Promise<TeamMemberUpdateResponse> {
    const caller = await this.access.caller(req.caller);
    const input = parseInput(MemberUpdateSchema, req.body);
    requireTeamAdmin(caller, input.team_id, '/team/member_update');
    const out = await this.tx(async (m) => {
      const team = await this.lockTeam(m, input.team_id);
      const userId = await this.memberId(m, team.team_id, input);
      if (!isProxyAdmin(caller)) {
        this.refuseAboveTeam(team, { max_budget: input.max_budget_in_team, tpm_limit: input.tpm_limit, rpm_limit: input.rpm_limit });
      }
      const cols: MemberColumns = {};
      if (input.role !== undefined) cols.role = input.role;
      if (input.max_budget_in_team !== undefined) cols.max_budget_in_team = input.max_budget_in_team === null ? null : String(input.max_budget_in_team);
      if (input.tpm_limit !== undefined) cols.tpm_limit = input.tpm_limit === null ? null : String(input.tpm_limit);
      if (input.rpm_limit !== undefined) cols.rpm_limit = input.rpm_limit === null ? null : String(input.rpm_limit);
      await this.teams.updateMember(m, team.team_id, userId, cols);
      return (await this.teams.members(m, [team.team_id])).find((x) => x.user_id === userId)!;
    });
    this.changes.publish({ teamIds: [input.team_id], userIds: [out.user_id] });
    return {
      team_id: out.team_id, user_id: out.user_id, user_email: out.user_email, role: out.role,
      max_budget_in_team: num(out.max_budget_in_team), tpm_limit: num(out.tpm_limit), rpm_limit: num(out.rpm_limit),
    };
  }

  /** LiteLLM auto-creates missing users (by email when only an email is given), as plain internal users */
  async findOrCreateUser(m: EntityManager, member: { user_id?: string | null; user_email?: string | null }, caller: Caller): Promise<UserEntity> {
    if (member.user_id) {
      const found = await this.users.find(m, member.user_id);
      if (found) return found;
      if (member.user_email && (await this.users.findByEmail(m, member.user_email))) {
        throw badRequest(`User with email ${member.user_email} already exists with another user_id`, 'member.user_email');
      }
      return this.users.insert(m, { user_id: member.user_id, user_email: member.user_email ?? null, user_role: 'internal_user', models: [], metadata: {} }, caller.userId);
    }
    const byEmail = await this.users.findByEmail(m, member.user_email!);
    if (byEmail) return byEmail;
    return this.users.insert(m, { user_id: randomUUID(), user_email: member.user_email!, user_role: 'internal_user', models: [], metadata: {} }, caller.userId);
  }

  private async lockTeam(m: EntityManager, teamId: string): Promise<TeamEntity> {
    const team = await this.teams.find(m, teamId, true);
    if (!team) throw notFound(`Team not found, passed team_id=${teamId}`, 'team_id');
    return team;
  }

  private async memberId(m: EntityManager, teamId: string, ref: { user_id?: string | null; user_email?: string | null }): Promise<string> {
    const userId = ref.user_id ?? (await this.users.findByEmail(m, ref.user_email!))?.user_id;
    if (!userId || !(await this.teams.membership(m, teamId, userId, true))) throw badRequest('User not found in team', 'user_id');
    return userId;
  }

  /** a team admin cannot hand a member more than the team itself has */
  private refuseAboveTeam(team: TeamEntity, member: { max_budget?: number | null; tpm_limit?: number | null; rpm_limit?: number | null }): void {
    const refusal = limitAbove(member, { max_budget: num(team.max_budget), tpm_limit: num(team.tpm_limit), rpm_limit: num(team.rpm_limit) }, 'member', `team=${team.team_id}`);
    if (refusal) throw forbidden(`Team admins cannot give a member more than the team has: ${refusal}`);
  }

  private async tx<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.keys.transaction(work);
    } catch (e) {
      throw mapDbError(e);
    }
  }
}
