import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { writable } from '../common/rows';
import { Tables } from '../common/sql';
import { UserEntity } from './user.entity';

export type UserColumns = Partial<Omit<UserEntity, 'spend' | 'created_at' | 'updated_at'>>;

export interface UserListFilter {
  role?: string;
  userIds?: string[];
  emailLike?: string;
  teamId?: string;
  sortBy: string;
  sortOrder: 'ASC' | 'DESC';
  limit: number;
  offset: number;
}

/** Every query against `users`. */
@Injectable()
export class UsersRepository {
  constructor(private readonly ds: DataSource, private readonly t: Tables) {}

  find(m: EntityManager, userId: string, lock = false): Promise<UserEntity | null> {
    return m.getRepository(UserEntity).findOne({ where: { user_id: userId }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
  }

  findMany(m: EntityManager, userIds: string[]): Promise<UserEntity[]> {
    if (userIds.length === 0) return Promise.resolve([]);
    return m.getRepository(UserEntity).find({ where: { user_id: In(userIds) } });
  }

  async findByEmail(m: EntityManager, email: string): Promise<UserEntity | null> {
    const rows: { user_id: string }[] = await m.query(`SELECT "user_id" FROM ${this.t.users} WHERE lower("user_email") = lower($1)`, [email]);
    return rows[0] ? this.find(m, rows[0].user_id) : null;
  }

  async insert(m: EntityManager, cols: UserColumns & { user_id: string }, by: string | null): Promise<UserEntity> {
    await m.getRepository(UserEntity).insert(writable({ ...cols, created_by: by, updated_by: by }));
    return (await this.find(m, cols.user_id))!;
  }

  async update(m: EntityManager, userId: string, cols: UserColumns, by: string | null): Promise<UserEntity> {
    await m.getRepository(UserEntity).update({ user_id: userId }, writable({ ...cols, updated_by: by, updated_at: () => 'now()' }));
    return (await this.find(m, userId))!;
  }

  async delete(m: EntityManager, userIds: string[]): Promise<number> {
    if (userIds.length === 0) return 0;
    const r = await m.getRepository(UserEntity).delete({ user_id: In(userIds) });
    return r.affected ?? 0;
  }

  async list(f: UserListFilter): Promise<{ rows: (UserEntity & { key_count: number })[]; total: number }> {
    const qb = this.ds.getRepository(UserEntity).createQueryBuilder('u');
    if (f.role !== undefined) qb.andWhere('u.user_role = :role', { role: f.role });
    if (f.userIds !== undefined) qb.andWhere('u.user_id IN (:...ids)', { ids: f.userIds.length ? f.userIds : [''] });
    if (f.emailLike !== undefined) qb.andWhere(`u.user_email ILIKE :email ESCAPE '\\'`, { email: `%${f.emailLike.replace(/[\\%_]/g, (c) => `\\${c}`)}%` });
    if (f.teamId !== undefined) {
      qb.andWhere(`EXISTS (SELECT 1 FROM ${this.t.members} m WHERE m.user_id = u.user_id AND m.team_id = :teamId)`, { teamId: f.teamId });
    }
    const [rows, total] = await qb
      .orderBy(`u.${f.sortBy}`, f.sortOrder)
      .addOrderBy('u.user_id', 'ASC')
      .take(f.limit)
      .skip(f.offset)
      .getManyAndCount();
    const counts = new Map<string, number>();
    if (rows.length > 0) {
      const r: { user_id: string; n: number }[] = await this.ds.query(
        `SELECT "user_id", count(*)::int AS n FROM ${this.t.keys} WHERE "user_id" = ANY($1) GROUP BY "user_id"`,
        [rows.map((u) => u.user_id)],
      );
      for (const x of r) counts.set(x.user_id, x.n);
    }
    return { rows: rows.map((u) => Object.assign(u, { key_count: counts.get(u.user_id) ?? 0 })), total };
  }
}
