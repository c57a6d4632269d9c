import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { writable } from '../common/rows';
import type { TeamMemberRole } from '@tollgate/contracts';
import { Tables } from '../common/sql';
import { TeamMemberEntity } from './team-member.entity';
import { TeamEntity } from './team.entity';

export type TeamColumns = Partial<Omit<TeamEntity, 'spend' | 'created_at' | 'updated_at'>>;
export type MemberColumns = Partial<Pick<TeamMemberEntity, 'role' | 'max_budget_in_team' | 'tpm_limit' | 'rpm_limit'>>;

/** a membership with the member's email (members_with_roles wants it) */
export interface MemberRow extends TeamMemberEntity {
  user_email: string | null;
}

/** Every query against `teams` and `team_members`. */
@Injectable()
export class TeamsRepository {
  constructor(private readonly ds: DataSource, private readonly t: Tables) {}

  find(m: EntityManager, teamId: string, lock = false): Promise<TeamEntity | null> {
    return m.getRepository(TeamEntity).findOne({ where: { team_id: teamId }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
  }

  findMany(m: EntityManager, teamIds: string[], lock = false): Promise<TeamEntity[]> {
    if (teamIds.length === 0) return Promise.resolve([]);
    return m.getRepository(TeamEntity).find({ where: { team_id: In(teamIds) }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
  }

  async insert(m: EntityManager, cols: TeamColumns & { team_id: string }, by: string | null): Promise<TeamEntity> {
    await m.getRepository(TeamEntity).insert(writable({ ...cols, created_by: by, updated_by: by }));
    return (await this.find(m, cols.team_id))!;
  }

  async update(m: EntityManager, teamId: string, cols: TeamColumns, by: string | null): Promise<TeamEntity> {
    await m.getRepository(TeamEntity).update({ team_id: teamId }, writable({ ...cols, updated_by: by, updated_at: () => 'now()' }));
    return (await this.find(m, teamId))!;
  }

  async delete(m: EntityManager, teamIds: string[]): Promise<void> {
    if (teamIds.length > 0) await m.getRepository(TeamEntity).delete({ team_id: In(teamIds) });
  }

  /** teams sorted by alias; only those `userId` belongs to when given */
  async list(userId: string | null): Promise<TeamEntity[]> {
    const qb = this.ds.getRepository(TeamEntity).createQueryBuilder('t');
    if (userId !== null) {
      qb.where(`EXISTS (SELECT 1 FROM ${this.t.members} m WHERE m.team_id = t.team_id AND m.user_id = :userId)`, { userId });
    }
    return qb.orderBy('t.team_alias', 'ASC', 'NULLS LAST').addOrderBy('t.team_id', 'ASC').limit(1000).getMany();
  }

  async members(m: EntityManager, teamIds: string[]): Promise<MemberRow[]> {
    if (teamIds.length === 0) return [];
    return m.query(
      `SELECT tm.*, u."user_email" FROM ${this.t.members} tm JOIN ${this.t.users} u ON u."user_id" = tm."user_id"
        WHERE tm."team_id" = ANY($1) ORDER BY tm."created_at", tm."user_id"`,
      [teamIds],
    );
  }

  membership(m: EntityManager, teamId: string, userId: string, lock = false): Promise<TeamMemberEntity | null> {
    return m.getRepository(TeamMemberEntity).findOne({
      where: { team_id: teamId, user_id: userId },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
  }

  async addMember(m: EntityManager, teamId: string, userId: string, role: TeamMemberRole, cols: MemberColumns = {}): Promise<void> {
    await m.getRepository(TeamMemberEntity).insert(writable({ ...cols, team_id: teamId, user_id: userId, role }));
  }

  async updateMember(m: EntityManager, teamId: string, userId: string, cols: MemberColumns): Promise<void> {
    if (Object.keys(cols).length > 0) await m.getRepository(TeamMemberEntity).update({ team_id: teamId, user_id: userId }, cols);
  }

  async removeMember(m: EntityManager, teamId: string, userId: string): Promise<void> {
    await m.getRepository(TeamMemberEntity).delete({ team_id: teamId, user_id: userId });
  }

  /** team ids of each user (for UserRow.teams) */
  async teamIdsOf(m: EntityManager, userIds: string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    if (userIds.length === 0) return out;
    const rows: { user_id: string; team_id: string }[] = await m.query(
      `SELECT "user_id", "team_id" FROM ${this.t.members} WHERE "user_id" = ANY($1) ORDER BY "created_at"`,
      [userIds],
    );
    for (const r of rows) out.set(r.user_id, [...(out.get(r.user_id) ?? []), r.team_id]);
    return out;
  }
}
