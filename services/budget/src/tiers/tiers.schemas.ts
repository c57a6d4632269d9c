import { ModelMaxBudgetEntry } from '@tollgate/contracts';
import { parseDuration } from '@tollgate/limits';
import { badRequest } from '../common/errors';

/** The settable fields of a tier (LiteLLM's BudgetNewRequest); `undefined` = not set in this request. */
export interface TierInput {
  budget_id?: string;
  max_budget?: number | null;
  soft_budget?: number | null;
  max_parallel_requests?: number | null;
  tpm_limit?: number | null;
  rpm_limit?: number | null;
  budget_duration?: string | null;
  model_max_budget?: Record<string, ModelMaxBudgetEntry> | null;
  budget_reset_at?: Date | null;
}

const MONEY = ['max_budget', 'soft_budget'] as const;
const COUNTS = ['max_parallel_requests', 'tpm_limit', 'rpm_limit'] as const;
const MODEL_NUMBERS = ['budget_limit', 'max_budget', 'rpm_limit', 'tpm_limit'] as const;
const MODEL_DURATIONS = ['time_period', 'budget_duration'] as const;

function show(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v) ?? String(v);
}

/** Validates a /budget/new or /budget/update body the way LiteLLM does, with its messages. */
export function parseTierInput(body: Record<string, unknown>): TierInput {
  const out: TierInput = {};
  if (body.budget_id !== undefined && body.budget_id !== null) {
    if (typeof body.budget_id !== 'string' || body.budget_id.trim() === '' || body.budget_id.length > 200) {
      throw badRequest(`budget_id must be a non-empty string. Received: ${show(body.budget_id)}`, 'budget_id');
    }
    out.budget_id = body.budget_id;
  }
  for (const f of MONEY) {
    const v = body[f];
    if (v === undefined) continue;
    if (v !== null && (typeof v !== 'number' || !Number.isFinite(v) || v < 0)) {
      throw badRequest(`${f} must be a non-negative finite number. Received: ${show(v)}`, f);
    }
    out[f] = v as number | null;
  }
  for (const f of COUNTS) {
    const v = body[f];
    if (v === undefined) continue;
    if (v !== null && (typeof v !== 'number' || !Number.isInteger(v) || v < 0)) {
      throw badRequest(`${f} must be a non-negative integer. Received: ${show(v)}`, f);
    }
    out[f] = v as number | null;
  }
  if (body.budget_duration !== undefined) {
    const v = body.budget_duration;
    if (v !== null && (typeof v !== 'string' || parseDuration(v) === null)) {
      throw badRequest(`Invalid budget_duration: ${show(v)}. Use e.g. "30s", "30m", "1h", "1d", "7d", "1mo".`, 'budget_duration');
    }
    out.budget_duration = v as string | null;
  }
  if (body.model_max_budget !== undefined) out.model_max_budget = parseModelMaxBudget(body.model_max_budget);
  if (body.budget_reset_at !== undefined) {
    const v = body.budget_reset_at;
    const d = typeof v === 'string' ? new Date(v) : null;
    if (v !== null && (d === null || Number.isNaN(d.getTime()))) throw badRequest(`Invalid budget_reset_at: ${show(v)}`, 'budget_reset_at');
    out.budget_reset_at = d;
  }
  return out;
}

function parseModelMaxBudget(v: unknown): Record<string, ModelMaxBudgetEntry> | null {
  if (v === null) return null;
  const invalid = (why: string) => badRequest(`Invalid model_max_budget: ${why}`, 'model_max_budget');
  if (typeof v !== 'object' || Array.isArray(v)) throw invalid('expected an object of {"<model>": {"budget_limit", "time_period", "rpm_limit", "tpm_limit"}}');
  const out: Record<string, ModelMaxBudgetEntry> = {};
  for (const [model, entry] of Object.entries(v as Record<string, unknown>)) {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw invalid(`${model} must be an object`);
    const e = entry as Record<string, unknown>;
    const clean: ModelMaxBudgetEntry = {};
    for (const f of MODEL_NUMBERS) {
      if (e[f] === undefined || e[f] === null) continue;
      if (typeof e[f] !== 'number' || !Number.isFinite(e[f]) || (e[f] as number) < 0) throw invalid(`${model}.${f} must be a non-negative number`);
      clean[f] = e[f] as number;
    }
    for (const f of MODEL_DURATIONS) {
      if (e[f] === undefined || e[f] === null) continue;
      if (typeof e[f] !== 'string' || parseDuration(e[f] as string) === null) throw invalid(`${model}.${f} is not a duration`);
      clean[f] = e[f] as string;
    }
    out[model] = clean;
  }
  return out;
}

export const SETTINGS_FIELDS = [
  { field_name: 'max_parallel_requests', field_type: 'Integer', field_description: 'Max concurrent requests allowed for this budget id.' },
  { field_name: 'tpm_limit', field_type: 'Integer', field_description: 'Max tokens per minute, allowed for this budget id.' },
  { field_name: 'rpm_limit', field_type: 'Integer', field_description: 'Max requests per minute, allowed for this budget id.' },
  { field_name: 'budget_duration', field_type: 'String', field_description: 'Max duration budget should be set for (e.g. "1hr", "1d", "28d")' },
  { field_name: 'max_budget', field_type: 'Float', field_description: 'Requests will fail if this budget (in USD) is exceeded.' },
  { field_name: 'soft_budget', field_type: 'Float', field_description: 'Requests will NOT fail if this is exceeded. Will fire alerting though.' },
  { field_name: 'model_max_budget', field_type: 'Object', field_description: 'Max budget (and rpm / tpm) per model, e.g. {"gpt-4o": {"budget_limit": 10, "time_period": "1d"}}' },
] as const;
