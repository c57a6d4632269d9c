import { ErrorCode, TollgateError } from '@tollgate/contracts';
import { Deployment } from '@tollgate/config';

/**
 * Maps a public model name to its deployments. Several deployments behind one `model_name` share
 * the traffic by LiteLLM's "simple-shuffle": weighted by `weight`, else by `rpm`, else by `tpm`
 * when every deployment of the group sets it, else uniformly at random.
 */
export class ModelRouter {
  private readonly groups = new Map<string, Deployment[]>();
  private readonly weights = new Map<string, number[]>();

  constructor(deployments: readonly Deployment[], private readonly random: () => number = Math.random) {
    for (const d of deployments) {
      const group = this.groups.get(d.modelName) ?? [];
      group.push(d);
      this.groups.set(d.modelName, group);
    }
    for (const [name, group] of this.groups) this.weights.set(name, cumulativeWeights(group));
  }

  /** public model names, in config order */
  modelNames(): string[] {
    return [...this.groups.keys()];
  }

  has(model: string): boolean {
    return this.groups.has(model);
  }

  deploymentsOf(model: string): readonly Deployment[] {
    return this.groups.get(model) ?? [];
  }

  pick(model: string): Deployment {
    const group = this.groups.get(model);
    if (!group) {
      throw new TollgateError(
        ErrorCode.UnknownModel,
        `Invalid model name passed in model=${model}. Call \`/v1/models\` to view available models for your key. Available models: ${this.modelNames().join(', ')}`,
        { status: 400, param: 'model' },
      );
    }
    if (group.length === 1) return group[0];
    const cumulative = this.weights.get(model)!;
    const r = this.random() * cumulative[cumulative.length - 1];
    const i = cumulative.findIndex((c) => r < c);
    return group[i === -1 ? group.length - 1 : i];
  }
}

function numberParam(d: Deployment, name: string): number | undefined {
  const v = d.params[name];
  return typeof v === 'number' && v > 0 ? v : undefined;
}

function cumulativeWeights(group: Deployment[]): number[] {
  const by = ['weight', 'rpm', 'tpm'].find((p) => group.every((d) => numberParam(d, p) !== undefined));
  let total = 0;
  return group.map((d) => (total += by ? numberParam(d, by)! : 1));
}
