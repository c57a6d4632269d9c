import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Tables } from '../common/sql';

/** The composite row behind KeyAuthResolve; JSON columns so one round trip carries all of it. */
export interface AuthRow {
  key: Record<string, unknown>;
  user: Record<string, unknown> | null;
  team: Record<string, unknown> | null;
  member: Record<string, unknown> | null;
  models: Record<string, unknown>[];
}

@Injectable()
export class AuthRepository {
  private readonly sql: string;

  constructor(private readonly ds: DataSource, t: Tables) {
    // every join is on a primary key (keys.token, users.user_id, teams.team_id,
    // team_members (team_id, user_id)); team models through their team_id index
    this.sql = `
      SELECT row_to_json(k.*) AS "key", row_to_json(u.*) AS "user", row_to_json(tm.*) AS "team",
             row_to_json(mb.*) AS "member",
             CASE WHEN k."team_id" IS NULL THEN '[]'::json
                  ELSE COALESCE((SELECT json_agg(row_to_json(x.*) ORDER BY x."public_model_name")
                                   FROM ${t.models} x WHERE x."team_id" = k."team_id"), '[]'::json) END AS "models"
        FROM ${t.keys} k
        LEFT JOIN ${t.users} u ON u."user_id" = k."user_id"
        LEFT JOIN ${t.teams} tm ON tm."team_id" = k."team_id"
        LEFT JOIN ${t.members} mb ON mb."team_id" = k."team_id" AND mb."user_id" = k."user_id"
       WHERE k."token" = $1`;
  }

  async resolve(keyHash: string): Promise<AuthRow | null> {
    const rows: AuthRow[] = await this.ds.query(this.sql, [keyHash]);
    return rows[0] ?? null;
  }
}
