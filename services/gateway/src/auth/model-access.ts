import { ResolvedKey } from '@tollgate/contracts';

/** LiteLLM's special entries of a `models` list. */
const ALL = new Set(['*', 'all-proxy-models']);

function wildcardMatch(pattern: string, value: string): boolean {
  if (!pattern.includes('*')) return pattern === value;
  const [head, ...rest] = pattern.split('*');
  if (!value.startsWith(head)) return false;
  let at = head.length;
  for (let i = 0; i < rest.length; i++) {
    const part = rest[i];
    if (i === rest.length - 1) return part === '' || (value.length - part.length >= at && value.endsWith(part));
    const found = value.indexOf(part, at);
    if (found === -1) return false;
    at = found + part.length;
  }
  return true;
}

/**
 * Whether a `models` list admits a model. [] admits everything; `*` / `all-proxy-models` too;
 * `openai/*` style wildcards match the public name or the deployment's `provider/model`;
 * `all-team-models` admits whatever the team admits (checked separately).
 */
export function listAllows(models: readonly string[], model: string, litellmModels: readonly string[] = []): boolean {
  if (models.length === 0) return true;
  for (const m of models) {
    if (ALL.has(m) || m === 'all-team-models') return true;
    if (wildcardMatch(m, model)) return true;
    for (const l of litellmModels) if (wildcardMatch(m, l)) return true;
  }
  return false;
}

/** The first list that refuses the model, for the error message: key, then team, then user. */
export function modelRefusal(key: ResolvedKey, model: string, litellmModels: readonly string[]): { who: 'key' | 'team' | 'user'; allowed: readonly string[] } | null {
  const keyModels = key.models;
  const keyDefersToTeam = keyModels.includes('all-team-models');
  if (!keyDefersToTeam && !listAllows(keyModels, model, litellmModels)) return { who: 'key', allowed: keyModels };
  if (key.team) {
    const teamOwn = key.team_models.some((d) => d.model_name === model);
    if (!teamOwn && !listAllows(key.team.models, model, litellmModels)) return { who: 'team', allowed: key.team.models };
  } else if (key.user && keyModels.length === 0 && !listAllows(key.user.models, model, litellmModels)) {
    return { who: 'user', allowed: key.user.models };
  }
  return null;
}

/** The models a key may list in `/v1/models`: key models, else team models, else everything. */
export function visibleModels(key: ResolvedKey | undefined, configModels: readonly string[], litellmOf: (m: string) => readonly string[]): string[] {
  if (!key) return [...configModels];
  const teamOwn = key.team_models.map((d) => d.model_name);
  const candidates = [...configModels, ...teamOwn.filter((m) => !configModels.includes(m))];
  return candidates.filter((m) => modelRefusal(key, m, litellmOf(m)) === null);
}
