import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { TeamMemberRole, UserRole } from '@tollgate/contracts';
import { Tables } from '../common/sql';

export interface CallerRow {
  token: string;
  user_id: string | null;
  team_id: string | null;
  blocked: boolean | null;
  expires: Date | null;
  user_role: UserRole | null;
  teams: { team_id: string; role: TeamMemberRole }[];
}

/** The one query behind every management call: the calling key, its user's role and team roles. */
@Injectable()
export class AccessRepository {
  constructor(private readonly ds: DataSource, private readonly t: Tables) {}

  async findCaller(keyHash: string): Promise<CallerRow | null> {
    const rows: CallerRow[] = await this.ds.query(
      `SELECT k."token", k."user_id", k."team_id", k."blocked", k."expires", u."user_role",
              COALESCE((SELECT json_agg(json_build_object('team_id', m."team_id", 'role', m."role"))
                          FROM ${this.t.members} m WHERE m."user_id" = u."user_id"), '[]'::json) AS "teams"
         FROM ${this.t.keys} k
         LEFT JOIN ${this.t.users} u ON u."user_id" = k."user_id"
        WHERE k."token" = $1`,
      [keyHash],
    );
    return rows[0] ?? null;
  }
}
