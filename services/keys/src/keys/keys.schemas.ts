import { z } from 'zod';
import {
  durationText, id, jsonObject, limit, money, perModelLimits, queryBool, queryInt, stringList, text,
} from '../common/validation';

/** LiteLLM's `key_type` presets for allowed_routes */
export const KEY_TYPE_ROUTES: Record<string, string[]> = {
  llm_api: ['llm_api_routes'],
  management: ['management_routes'],
  read_only: ['info_routes'],
  default: [],
};

/** Fields LiteLLM keeps in the key's metadata rather than in columns. */
export const METADATA_FIELDS = ['model_rpm_limit', 'model_tpm_limit', 'guardrails', 'tags', 'enforced_params', 'temp_budget_increase', 'temp_budget_expiry'] as const;

/** The GenerateKeyRequest fields shared by generate, update, regenerate and /user/new. */
export const keyFields = {
  key_alias: text(256).nullable().optional(),
  duration: z.union([durationText, z.literal('-1')]).nullable().optional(),
  models: stringList.nullable().optional(),
  spend: z.number().optional(),
  max_budget: money('max_budget').nullable().optional(),
  soft_budget: money('soft_budget').nullable().optional(),
  budget_duration: durationText.nullable().optional(),
  user_id: id.nullable().optional(),
  team_id: id.nullable().optional(),
  organization_id: id.nullable().optional(),
  budget_id: id.nullable().optional(),
  max_parallel_requests: limit.nullable().optional(),
  tpm_limit: limit.nullable().optional(),
  rpm_limit: limit.nullable().optional(),
  metadata: jsonObject('metadata').nullable().optional(),
  allowed_cache_controls: stringList.nullable().optional(),
  config: jsonObject('config').nullable().optional(),
  permissions: jsonObject('permissions').nullable().optional(),
  aliases: jsonObject('aliases').nullable().optional(),
  model_max_budget: jsonObject('model_max_budget').nullable().optional(),
  model_rpm_limit: perModelLimits.nullable().optional(),
  model_tpm_limit: perModelLimits.nullable().optional(),
  guardrails: stringList.nullable().optional(),
  tags: stringList.nullable().optional(),
  enforced_params: stringList.nullable().optional(),
  blocked: z.boolean().nullable().optional(),
  allowed_routes: stringList.nullable().optional(),
  key_type: z.enum(['llm_api', 'management', 'read_only', 'default']).nullable().optional(),
};

const keyValue = z.string().min(1).max(512);

export const GenerateKeySchema = z.object({ ...keyFields, key: keyValue.optional() });
export type GenerateKeyInput = z.infer<typeof GenerateKeySchema>;

export const UpdateKeySchema = z
  .object({
    ...keyFields,
    key: keyValue,
    temp_budget_increase: money('temp_budget_increase').nullable().optional(),
    temp_budget_expiry: z.iso.datetime({ offset: true }).nullable().optional(),
  })
  .superRefine((v, ctx) => {
    if ((v.temp_budget_increase == null) !== (v.temp_budget_expiry == null)) {
      ctx.addIssue({ code: 'custom', path: ['temp_budget_increase'], message: 'temp_budget_increase and temp_budget_expiry must be set together' });
    }
  });
export type UpdateKeyInput = z.infer<typeof UpdateKeySchema>;

export const RegenerateKeySchema = z.object({
  ...keyFields,
  key: keyValue.optional(),
  new_key: keyValue.optional(),
  grace_period: durationText.nullable().optional(),
});
export type RegenerateKeyInput = z.infer<typeof RegenerateKeySchema>;

export const KeyRefSchema = z.object({ key: keyValue });

export const DeleteKeysSchema = z
  .object({
    keys: z.array(keyValue).max(1000).nullable().optional(),
    key_aliases: z.array(text(256)).max(1000).nullable().optional(),
  })
  .superRefine((v, ctx) => {
    if (!v.keys?.length && !v.key_aliases?.length) {
      ctx.addIssue({ code: 'custom', path: ['keys'], message: "Pass 'keys' (virtual keys or their hashes) or 'key_aliases' to delete." });
    }
  });

export const ListKeysSchema = z.object({
  page: queryInt(1, 1_000_000).optional(),
  size: queryInt(1, 100).optional(),
  user_id: id.optional(),
  team_id: id.optional(),
  organization_id: id.optional(),
  key_hash: keyValue.optional(),
  key_alias: text(256).optional(),
  return_full_object: queryBool.optional(),
  include_team_keys: queryBool.optional(),
  sort_by: z.enum(['spend', 'max_budget', 'created_at', 'updated_at', 'token', 'key_alias']).optional(),
  sort_order: z.enum(['asc', 'desc']).optional(),
});
export type ListKeysInput = z.infer<typeof ListKeysSchema>;

/** The request's key fields as typed values (the ones /key/update and friends may change). */
export type KeyFieldsInput = Partial<GenerateKeyInput> & { temp_budget_increase?: number | null; temp_budget_expiry?: string | null };
