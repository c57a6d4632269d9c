import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { writable } from '../common/rows';
import { TeamModelEntity } from './team-model.entity';

/** Every query against `team_models`. */
@Injectable()
export class ModelsRepository {
  constructor(private readonly ds: DataSource) {}

  find(m: EntityManager, modelId: string, lock = false): Promise<TeamModelEntity | null> {
    return m.getRepository(TeamModelEntity).findOne({ where: { model_id: modelId }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
  }

  findByPublicName(m: EntityManager, teamId: string, publicName: string): Promise<TeamModelEntity | null> {
    return m.getRepository(TeamModelEntity).findOneBy({ team_id: teamId, public_model_name: publicName });
  }

  async insert(m: EntityManager, row: Omit<TeamModelEntity, 'created_at' | 'updated_at' | 'updated_by'>): Promise<TeamModelEntity> {
    await m.getRepository(TeamModelEntity).insert(writable({ ...row, updated_by: row.created_by }));
    return (await this.find(m, row.model_id))!;
  }

  async update(m: EntityManager, modelId: string, cols: Partial<Pick<TeamModelEntity, 'public_model_name' | 'litellm_params' | 'model_info'>>, by: string | null): Promise<TeamModelEntity> {
    await m.getRepository(TeamModelEntity).update({ model_id: modelId }, writable({ ...cols, updated_by: by, updated_at: () => 'now()' }));
    return (await this.find(m, modelId))!;
  }

  async delete(m: EntityManager, modelId: string): Promise<void> {
    await m.getRepository(TeamModelEntity).delete({ model_id: modelId });
  }

  /** all team models, or those of the given teams */
  list(teamIds: string[] | null, modelId?: string): Promise<TeamModelEntity[]> {
    if (teamIds !== null && teamIds.length === 0) return Promise.resolve([]);
    return this.ds.getRepository(TeamModelEntity).find({
      where: { ...(teamIds !== null ? { team_id: In(teamIds) } : {}), ...(modelId !== undefined ? { model_id: modelId } : {}) },
      order: { team_id: 'ASC', public_model_name: 'ASC' },
      take: 1000,
    });
  }
}
