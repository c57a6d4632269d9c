import type { KeyRow } from '@tollgate/contracts';
import { addDuration, nextResetAt, parseDuration } from '../common/duration';
import { badRequest } from '../common/errors';
import { asRecord, asStringList, iso, isoNow, num, num0 } from '../common/rows';
import { MAX_JSON_FIELD_BYTES } from '../common/validation';
import { KeyEntity } from './key.entity';
import { KEY_TYPE_ROUTES, KeyFieldsInput, METADATA_FIELDS } from './keys.schemas';

export function toKeyRow(e: KeyEntity): KeyRow {
  return {
    token: e.token,
    key_name: e.key_name,
    key_alias: e.key_alias,
    spend: num0(e.spend),
    max_budget: num(e.max_budget),
    expires: iso(e.expires),
    models: asStringList(e.models),
    aliases: asRecord(e.aliases),
    config: asRecord(e.config),
    user_id: e.user_id,
    team_id: e.team_id,
    organization_id: e.organization_id,
    max_parallel_requests: num(e.max_parallel_requests),
    tpm_limit: num(e.tpm_limit),
    rpm_limit: num(e.rpm_limit),
    budget_duration: e.budget_duration,
    budget_reset_at: iso(e.budget_reset_at),
    budget_id: e.budget_id,
    metadata: asRecord(e.metadata),
    allowed_cache_controls: asStringList(e.allowed_cache_controls),
    allowed_routes: asStringList(e.allowed_routes),
    permissions: asRecord(e.permissions),
    model_spend: asRecord(e.model_spend),
    model_max_budget: asRecord(e.model_max_budget),
    soft_budget_cooldown: e.soft_budget_cooldown,
    blocked: e.blocked,
    created_at: isoNow(e.created_at),
    created_by: e.created_by,
    updated_at: isoNow(e.updated_at),
    updated_by: e.updated_by,
  };
}

/** The writable columns of a key; NUMERIC / BIGINT as strings, as pg round-trips them exactly. */
export type KeyColumns = Partial<Omit<KeyEntity, 'spend' | 'created_at' | 'model_spend' | 'soft_budget_cooldown'>>;

const dec = (v: number | null): string | null => (v === null ? null : String(v));

/**
 * Turns validated request fields into column values: only fields present in the request are set
 * (a create passes `current = null` and gets LiteLLM's defaults). Metadata-held fields
 * (model_rpm_limit, guardrails, tags, …) are merged into metadata as LiteLLM does.
 */
export function keyColumnsFrom(input: KeyFieldsInput, current: KeyEntity | null, now: Date): KeyColumns {
  if (input.spend !== undefined && input.spend !== 0 && (current === null || input.spend !== num0(current.spend))) {
    throw badRequest('spend is read-only: it is written by the budget service from usage', 'spend');
  }
  const c: KeyColumns = current === null ? createDefaults() : {};
  const set = <K extends keyof KeyColumns>(k: K, v: KeyColumns[K] | undefined): void => {
    if (v !== undefined) c[k] = v;
  };
  set('key_alias', input.key_alias);
  if (input.models !== undefined) c.models = input.models ?? [];
  if (input.max_budget !== undefined) c.max_budget = dec(input.max_budget);
  set('user_id', input.user_id);
  set('team_id', input.team_id);
  set('organization_id', input.organization_id);
  set('budget_id', input.budget_id);
  set('max_parallel_requests', input.max_parallel_requests);
  if (input.tpm_limit !== undefined) c.tpm_limit = dec(input.tpm_limit);
  if (input.rpm_limit !== undefined) c.rpm_limit = dec(input.rpm_limit);
  if (input.allowed_cache_controls !== undefined) c.allowed_cache_controls = input.allowed_cache_controls ?? [];
  if (input.config !== undefined) c.config = input.config ?? {};
  if (input.permissions !== undefined) c.permissions = input.permissions ?? {};
  if (input.aliases !== undefined) c.aliases = input.aliases ?? {};
  if (input.model_max_budget !== undefined) c.model_max_budget = input.model_max_budget ?? {};
  set('blocked', input.blocked);
  if (input.allowed_routes !== undefined) c.allowed_routes = input.allowed_routes ?? [];
  else if (input.key_type) c.allowed_routes = KEY_TYPE_ROUTES[input.key_type];
  if (input.duration !== undefined) {
    const d = input.duration === null || input.duration === '-1' ? null : parseDuration(input.duration);
    c.expires = d ? addDuration(d, now) : null;
  }
  if (input.budget_duration !== undefined) {
    const d = input.budget_duration === null ? null : parseDuration(input.budget_duration);
    c.budget_duration = input.budget_duration;
    c.budget_reset_at = d ? nextResetAt(d, now) : null;
  }
  const metadata = mergedMetadata(input, current);
  if (metadata !== undefined) c.metadata = metadata;
  return c;
}

function createDefaults(): KeyColumns {
  return {
    key_alias: null, models: [], max_budget: null, expires: null, user_id: null, team_id: null, organization_id: null,
    budget_id: null, max_parallel_requests: null, tpm_limit: null, rpm_limit: null, allowed_cache_controls: [],
    config: {}, permissions: {}, aliases: {}, model_max_budget: {}, blocked: null, allowed_routes: [],
    budget_duration: null, budget_reset_at: null, metadata: {},
  };
}

function mergedMetadata(input: KeyFieldsInput, current: KeyEntity | null): Record<string, unknown> | undefined {
  const touched = METADATA_FIELDS.filter((f) => input[f] !== undefined);
  if (input.metadata === undefined && touched.length === 0) return current === null ? {} : undefined;
  const base: Record<string, unknown> = { ...(input.metadata !== undefined ? input.metadata ?? {} : asRecord(current?.metadata)) };
  for (const f of touched) {
    const v = input[f];
    if (v === null) delete base[f];
    else base[f] = v;
  }
  const bytes = Buffer.byteLength(JSON.stringify(base), 'utf8');
  if (bytes > MAX_JSON_FIELD_BYTES) {
    throw badRequest(`metadata is too large: ${bytes} bytes of JSON, at most ${MAX_JSON_FIELD_BYTES} allowed`, 'metadata');
  }
  return base;
}

/** The limit-bearing fields the request changes, as numbers (for the team / user ceilings). */
export function requestedLimits(input: KeyFieldsInput): { models?: string[]; max_budget?: number | null; tpm_limit?: number | null; rpm_limit?: number | null; max_parallel_requests?: number | null } {
  const out: ReturnType<typeof requestedLimits> = {};
  if (input.models !== undefined) out.models = input.models ?? [];
  if (input.max_budget !== undefined) out.max_budget = input.max_budget;
  if (input.tpm_limit !== undefined) out.tpm_limit = input.tpm_limit;
  if (input.rpm_limit !== undefined) out.rpm_limit = input.rpm_limit;
  if (input.max_parallel_requests !== undefined) out.max_parallel_requests = input.max_parallel_requests;
  return out;
}

/** Does the request touch anything that bounds spend or traffic? */
export function touchesLimits(input: KeyFieldsInput): boolean {
  return Object.keys(requestedLimits(input)).length > 0 || input.budget_duration !== undefined || input.model_max_budget !== undefined
    || input.model_rpm_limit !== undefined || input.model_tpm_limit !== undefined || input.budget_id !== undefined || input.team_id !== undefined
    || input.temp_budget_increase !== undefined;
}
