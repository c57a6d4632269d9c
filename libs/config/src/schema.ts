import { z } from 'zod';

/**
 * LiteLLM-compatible config.yaml. Objects are loose: keys Tollgate does not know are kept and
 * ignored, so an existing LiteLLM config loads unchanged.
 */
const num = z.coerce.number();

export const LitellmParamsSchema = z.looseObject({
  model: z.string().regex(/^[^/\s]+\/\S+$/, 'must be "provider/model", e.g. openai/gpt-4o'),
  api_base: z.string().url().optional(),
  api_key: z.string().optional(),
  api_version: z.string().optional(),
  rpm: num.int().positive().optional(),
  tpm: num.int().positive().optional(),
  timeout: num.positive().optional(),
  mock_response: z.unknown().optional(),
  input_cost_per_token: num.nonnegative().optional(),
  output_cost_per_token: num.nonnegative().optional(),
  input_cost_per_character: num.nonnegative().optional(),
  output_cost_per_character: num.nonnegative().optional(),
});

export const ModelEntrySchema = z.looseObject({
  model_name: z.string().min(1),
  litellm_params: LitellmParamsSchema,
  model_info: z.looseObject({ id: z.string().min(1).optional(), mode: z.string().optional() }).optional(),
});

export const GeneralSettingsSchema = z.looseObject({
  master_key: z.string().min(1).optional(),
  database_url: z.string().optional(),
  max_request_size_mb: num.positive().optional(),
  store_prompts_in_spend_logs: z.boolean().optional(),
});

export const LitellmSettingsSchema = z.looseObject({
  request_timeout: num.positive().optional(),
  drop_params: z.boolean().optional(),
});

export const ConfigFileSchema = z.looseObject({
  model_list: z.array(ModelEntrySchema).default([]),
  general_settings: GeneralSettingsSchema.default({}),
  litellm_settings: LitellmSettingsSchema.default({}),
  guardrails: z.array(z.looseObject({ guardrail_name: z.string() })).default([]),
});

export type ConfigFile = z.infer<typeof ConfigFileSchema>;
export type ModelEntry = z.infer<typeof ModelEntrySchema>;
