import type { Deployment } from '@tollgate/config';
import { ErrorCode, TollgateError } from '@tollgate/contracts';
import { badRequest } from '../common/errors';
import { encodeModelId } from './id-codec';
import { ProviderSettings } from './provider-settings';

export type ProviderKind = 'openai' | 'azure';

/** Where a file or job lives, as stored in its row (never a credential: those stay in the config). */
export interface DeploymentRef {
  /** `model`: a model_list deployment (ref = its id); `settings`: files_settings / finetune_settings (ref = custom_llm_provider) */
  kind: 'model' | 'settings';
  ref: string;
  provider: ProviderKind;
  /** the public model name for model-routed objects */
  modelName: string | null;
}

/** What a provider call needs. */
export interface ProviderTarget {
  provider: ProviderKind;
  apiBase: string;
  apiKey: string | undefined;
  apiVersion: string;
  /** $ per trained token, when the config states one */
  trainingCostPerToken: number | undefined;
  /** the deployment's litellm_params (price overrides), model-routed only */
  params: Readonly<Record<string, unknown>> | undefined;
  upstreamModel: string | undefined;
}

export const OPENAI_DEFAULT_BASE = 'https://api.openai.com/v1';
/** Azure's first GA api-version with files, batches and fine-tuning */
export const AZURE_DEFAULT_API_VERSION = '2024-10-21';

const SUPPORTED = new Set<string>(['openai', 'azure']);

function unsupported(provider: string, param: string): TollgateError {
  return badRequest(`custom_llm_provider "${provider}" is not supported for files, batches and fine-tuning (supported: openai, azure)`, param);
}

/**
 * Picks the deployment a new file goes to, and turns a stored DeploymentRef back into credentials.
 * Priority, as LiteLLM: the model (header `x-litellm-model`, query or form field `model`) → its
 * model_list deployment; else `custom_llm_provider` (default "openai") → the files_settings entry.
 */
export class DeploymentResolver {
  constructor(
    private readonly deployments: readonly Deployment[],
    private readonly filesSettings: readonly ProviderSettings[],
    private readonly finetuneSettings: readonly ProviderSettings[],
  ) {}

  forNewFile(hints: { model?: string; provider?: string }): DeploymentRef {
    if (hints.model) {
      const candidates = this.deployments.filter((d) => d.modelName === hints.model);
      if (candidates.length === 0) {
        throw new TollgateError(ErrorCode.UnknownModel, `Invalid model name passed in model=${hints.model}. Call \`/v1/models\` to view available models for your key.`, { status: 400, param: 'model' });
      }
      // the first deployment that can hold files: deterministic, so a model's files and jobs meet
      const d = candidates.find((c) => SUPPORTED.has(c.provider));
      if (!d) throw unsupported(candidates[0]!.provider, 'model');
      return { kind: 'model', ref: d.id, provider: d.provider as ProviderKind, modelName: d.modelName };
    }
    const provider = hints.provider ?? 'openai';
    if (!SUPPORTED.has(provider)) throw unsupported(provider, 'custom_llm_provider');
    if (!this.filesSettings.some((s) => s.custom_llm_provider === provider)) {
      throw badRequest(`No files_settings entry for custom_llm_provider "${provider}": add one to the config, or pass a model name (x-litellm-model / model)`, 'custom_llm_provider');
    }
    return { kind: 'settings', ref: provider, provider: provider as ProviderKind, modelName: null };
  }

  /** Credentials for a stored ref; fine-tuning calls prefer a finetune_settings entry of the same provider. */
  target(ref: DeploymentRef, use: 'files' | 'fine_tuning' = 'files'): ProviderTarget {
    if (ref.kind === 'model') {
      const d = this.deployments.find((x) => x.id === ref.ref);
      if (!d) throw new TollgateError(ErrorCode.DependencyUnavailable, `deployment ${ref.ref} is no longer in the config`, { status: 503 });
      const info = d.params as Record<string, unknown>;
      return {
        provider: ref.provider,
        apiBase: this.base(ref.provider, d.apiBase),
        apiKey: d.apiKey,
        apiVersion: d.apiVersion ?? AZURE_DEFAULT_API_VERSION,
        trainingCostPerToken: typeof info.training_cost_per_token === 'number' ? info.training_cost_per_token : undefined,
        params: d.params,
        upstreamModel: d.upstreamModel,
      };
    }
    const pick = (list: readonly ProviderSettings[]): ProviderSettings | undefined => list.find((s) => s.custom_llm_provider === ref.ref);
    const s = (use === 'fine_tuning' ? pick(this.finetuneSettings) : undefined) ?? pick(this.filesSettings) ?? pick(this.finetuneSettings);
    if (!s) throw new TollgateError(ErrorCode.DependencyUnavailable, `no files_settings / finetune_settings entry for ${ref.ref} any more`, { status: 503 });
    return {
      provider: ref.provider,
      apiBase: this.base(ref.provider, s.api_base),
      apiKey: s.api_key,
      apiVersion: s.api_version ?? AZURE_DEFAULT_API_VERSION,
      trainingCostPerToken: s.training_cost_per_token,
      params: undefined,
      upstreamModel: undefined,
    };
  }

  /** The id callers see for a provider id created on `ref`. */
  publicId(ref: DeploymentRef, providerId: string): string {
    return ref.kind === 'model' && ref.modelName ? encodeModelId(providerId, ref.modelName) : providerId;
  }

  private base(provider: ProviderKind, apiBase: string | undefined): string {
    if (provider === 'azure') {
      if (!apiBase) throw new TollgateError(ErrorCode.DependencyUnavailable, 'azure deployment has no api_base', { status: 503 });
      return apiBase.replace(/\/+$/, '');
    }
    return (apiBase ?? OPENAI_DEFAULT_BASE).replace(/\/+$/, '');
  }
}
