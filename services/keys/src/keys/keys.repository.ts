import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { writable } from '../common/rows';
import { Tables } from '../common/sql';
import { DeletedKeyEntity } from './deleted-key.entity';
import { KeyEntity } from './key.entity';
import { KeyColumns, toKeyRow } from './keys.mapping';

export interface KeyListFilter {
  userId?: string;
  teamId?: string;
  organizationId?: string;
  token?: string;
  keyAlias?: string;
  /** non-admins: only keys owned by this user, or of these teams */
  visibleTo?: { userId: string | null; teamIds: string[] };
  sortBy: string;
  sortOrder: 'ASC' | 'DESC';
  limit: number;
  offset: number;
}

export interface Archive {
  reason: 'deleted' | 'regenerated' | 'user_deleted' | 'team_deleted';
  deletedBy: string | null;
  deletedByKey: string | null;
}

/** Every query against `keys` and `deleted_keys`. */
@Injectable()
export class KeysRepository {
  constructor(private readonly ds: DataSource, private readonly t: Tables) {}

  get manager(): EntityManager {
    return this.ds.manager;
  }

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.ds.transaction(work);
  }

  find(m: EntityManager, token: string, lock = false): Promise<KeyEntity | null> {
    return m.getRepository(KeyEntity).findOne({ where: { token }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
  }

  findMany(m: EntityManager, by: { tokens?: string[]; aliases?: string[] }, lock = false): Promise<KeyEntity[]> {
    const where = [
      ...(by.tokens?.length ? [{ token: In(by.tokens) }] : []),
      ...(by.aliases?.length ? [{ key_alias: In(by.aliases) }] : []),
    ];
    if (where.length === 0) return Promise.resolve([]);
    return m.getRepository(KeyEntity).find({ where, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
  }

  async aliasTaken(m: EntityManager, alias: string, exceptToken: string | null): Promise<boolean> {
    const rows: unknown[] = await m.query(`SELECT 1 FROM ${this.t.keys} WHERE "key_alias" = $1 AND "token" IS DISTINCT FROM $2 LIMIT 1`, [alias, exceptToken]);
    return rows.length > 0;
  }

  async insert(m: EntityManager, token: string, keyName: string, cols: KeyColumns, by: string | null): Promise<KeyEntity> {
    await m.getRepository(KeyEntity).insert(writable({ ...cols, token, key_name: keyName, created_by: by, updated_by: by }));
    return (await this.find(m, token))!;
  }

  async update(m: EntityManager, token: string, cols: KeyColumns, by: string | null): Promise<KeyEntity> {
    await m.getRepository(KeyEntity).update({ token }, writable({ ...cols, updated_by: by, updated_at: () => 'now()' }));
    return (await this.find(m, cols.token ?? token))!;
  }

  /** copies whole rows into deleted_keys (before a delete or a regenerate) */
  async archive(m: EntityManager, rows: KeyEntity[], a: Archive): Promise<void> {
    if (rows.length === 0) return;
    await m.getRepository(DeletedKeyEntity).insert(writable(
      rows.map((r) => ({
        token: r.token, key_alias: r.key_alias, user_id: r.user_id, team_id: r.team_id,
        row: toKeyRow(r) as unknown as Record<string, unknown>, reason: a.reason,
        deleted_by: a.deletedBy, deleted_by_api_key: a.deletedByKey,
      })),
    ));
  }

  async delete(m: EntityManager, tokens: string[]): Promise<void> {
    if (tokens.length > 0) await m.getRepository(KeyEntity).delete({ token: In(tokens) });
  }

  /** keys owned by these users or belonging to these teams, locked for a cascading delete */
  async findOwnedBy(m: EntityManager, by: { userIds?: string[]; teamIds?: string[] }): Promise<KeyEntity[]> {
    const where = [
      ...(by.userIds?.length ? [{ user_id: In(by.userIds) }] : []),
      ...(by.teamIds?.length ? [{ team_id: In(by.teamIds) }] : []),
    ];
    if (where.length === 0) return [];
    return m.getRepository(KeyEntity).find({ where, lock: { mode: 'pessimistic_write' } });
  }

  /** a team's (or teams') keys, non-expired only when asked */
  async forTeams(teamIds: string[], nonExpired: boolean): Promise<KeyEntity[]> {
    if (teamIds.length === 0) return [];
    const qb = this.ds.getRepository(KeyEntity).createQueryBuilder('k').where('k.team_id IN (:...teamIds)', { teamIds });
    if (nonExpired) qb.andWhere('(k.expires IS NULL OR k.expires > now())');
    return qb.orderBy('k.created_at', 'DESC').limit(1000).getMany();
  }

  async forUser(userId: string | null, limit = 1000): Promise<KeyEntity[]> {
    const qb = this.ds.getRepository(KeyEntity).createQueryBuilder('k');
    if (userId !== null) qb.where('k.user_id = :userId', { userId });
    return qb.orderBy('k.created_at', 'DESC').limit(limit).getMany();
  }

  async list(f: KeyListFilter): Promise<{ rows: KeyEntity[]; total: number }> {
    const qb = this.ds.getRepository(KeyEntity).createQueryBuilder('k');
    if (f.userId !== undefined) qb.andWhere('k.user_id = :userId', { userId: f.userId });
    if (f.teamId !== undefined) qb.andWhere('k.team_id = :teamId', { teamId: f.teamId });
    if (f.organizationId !== undefined) qb.andWhere('k.organization_id = :orgId', { orgId: f.organizationId });
    if (f.token !== undefined) qb.andWhere('k.token = :token', { token: f.token });
    if (f.keyAlias !== undefined) qb.andWhere('k.key_alias = :alias', { alias: f.keyAlias });
    if (f.visibleTo) {
      const { userId, teamIds } = f.visibleTo;
      qb.andWhere(teamIds.length > 0 ? '(k.user_id = :me OR k.team_id IN (:...teamIds))' : 'k.user_id = :me', { me: userId, teamIds });
    }
    const [rows, total] = await qb
      .orderBy(`k.${f.sortBy}`, f.sortOrder, f.sortOrder === 'ASC' ? 'NULLS FIRST' : 'NULLS LAST')
      .addOrderBy('k.token', f.sortOrder)
      .take(f.limit)
      .skip(f.offset)
      .getManyAndCount();
    return { rows, total };
  }

  async ping(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    try {
      return await Promise.race([this.ds.query('SELECT 1').then(() => true, () => false), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
