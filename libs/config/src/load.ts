import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { ConfigFile, ConfigFileSchema, ModelEntry, ModelEntrySchema } from './schema';
import { DEFAULT_CONFIG_YAML } from './default-config';
import { DEFAULT_DATABASE_URL, readEnv, resolveEnvRefs, TollgateEnv } from './env';

/** One model deployment, resolved: what the router picks from. */
export interface Deployment {
  /** public name callers use (`model_name`) */
  modelName: string;
  /** `model_info.id`, or a stable id derived from the entry */
  id: string;
  /** provider prefix of `litellm_params.model` (openai, azure, anthropic, openrouter, mock…) */
  provider: string;
  /** model name sent upstream (the part after the provider prefix) */
  upstreamModel: string;
  /** `litellm_params.model` as written */
  litellmModel: string;
  apiBase: string | undefined;
  apiKey: string | undefined;
  apiVersion: string | undefined;
  timeoutMs: number;
  mode: string | undefined;
  params: Readonly<Record<string, unknown>>;
}

export interface TollgateConfig {
  env: TollgateEnv;
  file: ConfigFile;
  masterKey: string | undefined;
  databaseUrl: string;
  maxBodyBytes: number;
  deployments: readonly Deployment[];
  /** where the YAML came from: a path, or "built-in default" */
  source: string;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

function toDeployment(entry: ModelEntry, index: number, defaultTimeoutS: number): Deployment {
  const p = entry.litellm_params;
  const slash = p.model.indexOf('/');
  const provider = p.model.slice(0, slash);
  const timeoutS = typeof p.timeout === 'number' ? p.timeout : defaultTimeoutS;
  return {
    modelName: entry.model_name,
    id: entry.model_info?.id ?? `${entry.model_name}-${index}`,
    provider,
    upstreamModel: p.model.slice(slash + 1),
    litellmModel: p.model,
    apiBase: p.api_base,
    apiKey: p.api_key,
    apiVersion: p.api_version,
    timeoutMs: Math.round(timeoutS * 1000),
    mode: entry.model_info?.mode,
    params: p,
  };
}

/**
 * A deployment added at run time (a team's `/model/new`): validated like a config entry. Throws a
 * ConfigError naming the bad field.
 */
export function deploymentFromEntry(entry: unknown, defaultTimeoutS: number, env: NodeJS.ProcessEnv = process.env): Deployment {
  const result = ModelEntrySchema.safeParse(resolveEnvRefs(entry, env));
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new ConfigError(`invalid deployment at ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return deepFreeze(toDeployment(result.data, 0, defaultTimeoutS));
}

/** Parse and validate a config document; errors name the bad field. */
export function parseConfig(yamlText: string, env: NodeJS.ProcessEnv, source: string): TollgateConfig {
  let raw: unknown;
  try {
    raw = parse(yamlText) ?? {};
  } catch (e) {
    throw new ConfigError(`${source}: invalid YAML: ${(e as Error).message}`);
  }
  let resolved: unknown;
  try {
    resolved = resolveEnvRefs(raw, env);
  } catch (e) {
    throw new ConfigError(`${source}: ${(e as Error).message}`);
  }
  const result = ConfigFileSchema.safeParse(resolved);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue.path.join('.') || '(root)';
    throw new ConfigError(`${source}: invalid config at ${field}: ${issue.message}`);
  }
  const file = result.data;
  const tollgateEnv = readEnv(env);
  const timeoutS = file.litellm_settings.request_timeout ?? 600;
  const deployments = file.model_list.map((m, i) => toDeployment(m, i, timeoutS));
  const ids = new Set<string>();
  for (const d of deployments) {
    if (ids.has(d.id)) throw new ConfigError(`${source}: invalid config at model_list: duplicate model_info.id "${d.id}"`);
    ids.add(d.id);
  }
  const maxMb = file.general_settings.max_request_size_mb ?? 8;
  return deepFreeze({
    env: tollgateEnv,
    file,
    masterKey: tollgateEnv.masterKey ?? file.general_settings.master_key,
    databaseUrl: tollgateEnv.databaseUrl ?? file.general_settings.database_url ?? DEFAULT_DATABASE_URL,
    maxBodyBytes: Math.round(maxMb * 1024 * 1024),
    deployments,
    source,
  });
}

let cached: TollgateConfig | undefined;

/** The process's config, read once from env + YAML and frozen. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): TollgateConfig {
  if (env === process.env && cached) return cached;
  const path = env.TOLLGATE_CONFIG;
  let text = DEFAULT_CONFIG_YAML;
  let source = 'built-in default config';
  if (path) {
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      throw new ConfigError(`TOLLGATE_CONFIG=${path}: cannot read file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    source = path;
  }
  const config = parseConfig(text, env, source);
  if (env === process.env) cached = config;
  return config;
}
