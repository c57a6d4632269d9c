import { ErrorCode, ResolvedKey, TeamDeployment, TollgateError } from '@tollgate/contracts';
import { ConfigError, Deployment, deploymentFromEntry } from '@tollgate/config';
import { getProvider } from '../providers/registry';
import { ModelRouter } from './model-router';

interface TeamRouter {
  version: string;
  router: ModelRouter;
}

/**
 * Picks the deployment for a request: the key's alias map first, then the team's own deployments
 * (added with `/model/new`, carried in the resolved key, so they route without a restart), then
 * the config's. Team routers are built once per team and rebuilt when its deployments change.
 */
export class DeploymentResolver {
  private readonly teams = new Map<string, TeamRouter>();
  private readonly globalLitellm = new Map<string, string[]>();

  constructor(readonly global: ModelRouter, private readonly defaultTimeoutS: number) {}

  /** The model the request really asks for once the key's aliases are applied. */
  effectiveModel(model: string, key: ResolvedKey | undefined): string {
    const alias = key?.aliases?.[model];
    return typeof alias === 'string' && alias ? alias : model;
  }

  /** `provider/model` of every deployment behind a public name, for wildcard access rules. */
  litellmModelsOf(model: string, key: ResolvedKey | undefined): string[] {
    const own = key?.team_models.filter((d) => d.model_name === model).map((d) => d.litellm_params.model);
    if (own?.length) return own;
    // config deployments never change while the process runs: computed once per model name
    // (only known names are kept: a request naming anything must not grow the map)
    let models = this.globalLitellm.get(model);
    if (!models) {
      models = this.global.deploymentsOf(model).map((d) => d.litellmModel);
      if (models.length) this.globalLitellm.set(model, models);
    }
    return models;
  }

  pick(model: string, key: ResolvedKey | undefined): Deployment {
    if (key?.team_id && key.team_models.length && key.team_models.some((d) => d.model_name === model)) {
      return this.teamRouter(key.team_id, key.team_models).pick(model);
    }
    return this.global.pick(model);
  }

  private teamRouter(teamId: string, models: TeamDeployment[]): ModelRouter {
    const version = models.map((m) => `${m.model_info.id}:${m.model_name}:${m.litellm_params.model}`).join('|');
    const cached = this.teams.get(teamId);
    if (cached && cached.version === version) return cached.router;
    const deployments = models.map((m) => toTeamDeployment(m, this.defaultTimeoutS));
    const router = new ModelRouter(deployments);
    this.teams.set(teamId, { version, router });
    return router;
  }
}

function toTeamDeployment(m: TeamDeployment, timeoutS: number): Deployment {
  let d: Deployment;
  try {
    d = deploymentFromEntry({ model_name: m.model_name, litellm_params: m.litellm_params, model_info: { id: m.model_info.id } }, timeoutS);
  } catch (e) {
    throw new TollgateError(ErrorCode.Internal, `team model ${m.model_name} cannot be used: ${(e as ConfigError).message}`, { status: 500 });
  }
  if (d.provider !== 'mock' && !getProvider(d.provider)) {
    throw new TollgateError(ErrorCode.Internal, `team model ${m.model_name} uses provider "${d.provider}", which Tollgate does not support`, { status: 500 });
  }
  return d;
}
