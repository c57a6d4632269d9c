import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { ManagementRequest, ModelDeleteResponse, ModelInfoResponse, ModelRow } from '@tollgate/contracts';
import { canViewAll, isProxyAdmin, isTeamAdmin, requireWriter } from '../access/access.policy';
import { AccessService } from '../access/access.service';
import { Caller } from '../access/caller';
import { ChangesPublisher } from '../changes/changes.publisher';
import { mapDbError } from '../common/db-errors';
import { badRequest, forbidden } from '../common/errors';
import { asRecord, asStringList } from '../common/rows';
import { id, jsonObject, parseInput, text } from '../common/validation';
import { KeysRepository } from '../keys/keys.repository';
import { TeamEntity } from '../teams/team.entity';
import { TeamsRepository } from '../teams/teams.repository';
import { toDeployment, toModelRow } from './models.mapping';
import { ModelsRepository } from './models.repository';

const params = jsonObject('litellm_params').and(z.object({ model: z.string().min(3).max(512).regex(/^[^/\s]+\/\S+$/, 'must be provider/model, e.g. openai/gpt-4o') }));
const NewModelSchema = z.object({ model_name: text(256).min(1), litellm_params: params, model_info: jsonObject('model_info').optional() });
const UpdateModelSchema = z.object({
  model_name: text(256).min(1).optional(),
  litellm_params: jsonObject('litellm_params').optional(),
  model_info: jsonObject('model_info').and(z.object({ id })),
});
const DeleteModelSchema = z.object({ id });
const InfoSchema = z.object({ litellm_model_id: id.optional() });

/** /model/*: team deployments (LiteLLM's "allow teams to add models"). */
@Injectable()
export class ModelsService {
  constructor(
    private readonly access: AccessService,
    private readonly models: ModelsRepository,
    private readonly teams: TeamsRepository,
    private readonly keys: KeysRepository,
    private readonly changes: ChangesPublisher,
  ) {}

  async create(req: ManagementRequest): Promise<ModelRow> {
    const caller = await this.access.caller(req.caller);
    requireWriter(caller, '/model/new');
    const input = parseInput(NewModelSchema, req.body);
    const info = asRecord(input.model_info);
    const teamId = info.team_id;
    if (typeof teamId !== 'string' || teamId === '') {
      throw badRequest('model_info.team_id is required: Tollgate stores team models only; proxy-wide models belong in config.yaml model_list', 'model_info.team_id');
    }
    this.requireModelAdmin(caller, teamId);
    const row = await this.tx(async (m) => {
      const team = await this.team(m, teamId);
      if (await this.models.findByPublicName(m, teamId, input.model_name)) {
        throw badRequest(`Team ${teamId} already has a model named ${input.model_name}`, 'model_name');
      }
      const modelId = typeof info.id === 'string' && info.id !== '' ? info.id : randomUUID();
      if (await this.models.find(m, modelId)) throw badRequest(`Model with id=${modelId} already exists`, 'model_info.id');
      const internal = `model_name_${teamId}_${randomUUID()}`;
      const { team_id: _t, id: _i, ...rest } = info;
      const created = await this.models.insert(m, {
        model_id: modelId, model_name: internal, team_id: teamId, public_model_name: input.model_name,
        litellm_params: input.litellm_params, model_info: rest, created_by: caller.userId,
      });
      await this.syncTeam(m, team, caller, { add: [input.model_name, internal] });
      return created;
    });
    this.changes.publish({ teamIds: [teamId] });
    return toModelRow(row);
  }

  async update(req: ManagementRequest): Promise<ModelRow> {
    const caller = await this.access.caller(req.caller);
    requireWriter(caller, '/model/update');
    const input = parseInput(UpdateModelSchema, req.body);
    const modelId = input.model_info.id;
    const row = await this.tx(async (m) => {
      const current = await this.models.find(m, modelId, true);
      if (!current) throw badRequest(`Model with id=${modelId} not found in db`, 'model_info.id');
      this.requireModelAdmin(caller, current.team_id);
      const { id: _i, team_id: newTeam, ...info } = input.model_info;
      if (newTeam !== undefined && newTeam !== current.team_id) throw badRequest('model_info.team_id cannot change; delete the model and add it to the other team', 'model_info.team_id');
      const rename = input.model_name !== undefined && input.model_name !== current.public_model_name ? input.model_name : undefined;
      if (rename && (await this.models.findByPublicName(m, current.team_id, rename))) throw badRequest(`Team ${current.team_id} already has a model named ${rename}`, 'model_name');
      const merged = { ...asRecord(current.litellm_params), ...(input.litellm_params ?? {}) };
      if (typeof merged.model !== 'string' || !/^[^/\s]+\/\S+$/.test(merged.model)) throw badRequest("Invalid value for 'litellm_params.model': must be provider/model", 'litellm_params.model');
      const updated = await this.models.update(m, modelId, {
        ...(rename ? { public_model_name: rename } : {}), litellm_params: merged, model_info: { ...asRecord(current.model_info), ...info },
      }, caller.userId);
      if (rename) await this.syncTeam(m, await this.team(m, current.team_id), caller, { remove: current.public_model_name, add: [rename, current.model_name] });
      return updated;
    });
    this.changes.publish({ teamIds: [row.team_id] });
    return toModelRow(row);
  }

  async delete(req: ManagementRequest): Promise<ModelDeleteResponse> {
    const caller = await this.access.caller(req.caller);
    requireWriter(caller, '/model/delete');
    const { id: modelId } = parseInput(DeleteModelSchema, req.body);
    const teamId = await this.tx(async (m) => {
      const current = await this.models.find(m, modelId, true);
      if (!current) throw badRequest(`Model with id=${modelId} not found in db`, 'id');
      this.requireModelAdmin(caller, current.team_id);
      await this.models.delete(m, modelId);
      await this.syncTeam(m, await this.team(m, current.team_id), caller, { remove: current.public_model_name });
      return current.team_id;
    });
    this.changes.publish({ teamIds: [teamId] });
    return { message: `Model: ${modelId} deleted successfully` };
  }

  async info(req: ManagementRequest): Promise<ModelInfoResponse> {
    const caller = await this.access.caller(req.caller);
    const q = parseInput(InfoSchema, req.query ?? {});
    const teams = canViewAll(caller) ? null : [...new Set([...caller.teams.keys(), ...(caller.keyTeamId ? [caller.keyTeamId] : [])])];
    const rows = await this.models.list(teams, q.litellm_model_id);
    return { data: rows.map((r) => toDeployment(r, false)) };
  }

  private requireModelAdmin(caller: Caller, teamId: string): void {
    if (!isProxyAdmin(caller) && !isTeamAdmin(caller, teamId)) {
      throw forbidden(
        `Team ID=${teamId} does not match the API key's team ID=${caller.keyTeamId}, OR you are not the admin for this team. Check \`/user/info\` to verify your team admin status.`,
      );
    }
  }

  private async team(m: EntityManager, teamId: string): Promise<TeamEntity> {
    const team = await this.teams.find(m, teamId, true);
    if (!team) throw badRequest(`Team id=${teamId} does not exist in db`, 'model_info.team_id');
    return team;
  }

  /**
   * Keeps the team's alias map and model list in step: public name → internal name. The public
   * name joins team.models only when the team already has a model list ([] means every model,
   * and adding one entry would shrink it to that one).
   */
  private async syncTeam(m: EntityManager, team: TeamEntity, caller: Caller, change: { add?: [string, string]; remove?: string }): Promise<void> {
    const aliases = { ...(asRecord(team.model_aliases) as Record<string, string>) };
    let models = asStringList(team.models);
    const hadList = models.length > 0;
    if (change.remove !== undefined) {
      delete aliases[change.remove];
      models = models.filter((x) => x !== change.remove);
    }
    if (change.add) {
      aliases[change.add[0]] = change.add[1];
      if (hadList && !models.includes(change.add[0])) models.push(change.add[0]);
    }
    await this.teams.update(m, team.team_id, { model_aliases: aliases, ...(hadList ? { models } : {}) }, caller.userId);
  }

  private async tx<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.keys.transaction(work);
    } catch (e) {
      throw mapDbError(e);
    }
  }
}
