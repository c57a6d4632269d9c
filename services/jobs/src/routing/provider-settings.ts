import { ConfigError } from '@tollgate/config';

/** One entry of LiteLLM's `files_settings` / `finetune_settings` lists. */
export interface ProviderSettings {
  custom_llm_provider: string;
  api_base?: string;
  api_key?: string;
  api_version?: string;
  /** Tollgate extension: $ per trained token for fine-tuning jobs on this provider */
  training_cost_per_token?: number;
}

/** Validates the loose config list (env references are already resolved by libs/config). */
export function readProviderSettings(value: unknown, where: string): ProviderSettings[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new ConfigError(`invalid config at ${where}: must be a list`);
  return value.map((raw, i) => {
    if (raw === null || typeof raw !== 'object') throw new ConfigError(`invalid config at ${where}.${i}: must be a mapping`);
    const e = raw as Record<string, unknown>;
    const str = (k: string): string | undefined => {
      const v = e[k];
      if (v === undefined || v === null) return undefined;
      if (typeof v !== 'string') throw new ConfigError(`invalid config at ${where}.${i}.${k}: must be a string`);
      return v;
    };
    const provider = str('custom_llm_provider');
    if (!provider) throw new ConfigError(`invalid config at ${where}.${i}.custom_llm_provider: required`);
    const price = e.training_cost_per_token;
    if (price !== undefined && (typeof price !== 'number' || !(price >= 0))) {
      throw new ConfigError(`invalid config at ${where}.${i}.training_cost_per_token: must be a non-negative number`);
    }
    const out: ProviderSettings = { custom_llm_provider: provider };
    const base = str('api_base');
    const key = str('api_key');
    const version = str('api_version');
    if (base) out.api_base = base;
    if (key) out.api_key = key;
    if (version) out.api_version = version;
    if (typeof price === 'number') out.training_cost_per_token = price;
    return out;
  });
}
