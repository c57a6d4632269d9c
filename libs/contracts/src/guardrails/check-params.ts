/**
 * The parameter declarations of every built-in guardrail check, as pure data. The guardrails service
 * builds each check from its declaration (and `/guardrails/list` from the same list); the gateway
 * validates per-request (dynamic) params against it without a NATS call. Written once, here.
 */
/** `secret` params are never listed or logged; `any` accepts every JSON value */
export type ParamType = 'string' | 'float' | 'integer' | 'boolean' | 'array' | 'object' | 'secret' | 'any';

export interface ParamDecl {
  name: string;
  type: ParamType;
  description: string;
  /** allowed values (strings) */
  values?: readonly string[];
  min?: number;
  max?: number;
  /** a caller may set it per request (`guardrails: [{"g": {"extra_body": {name: value}}}]`) */
  dynamic?: boolean;
}

const apiBase = (what: string, def?: string): ParamDecl => ({
  name: 'api_base',
  type: 'string',
  description: def ? `Base URL of the ${what} API (default ${def})` : `Base URL of the ${what} API (required)`,
});
const apiKey = (what: string): ParamDecl => ({ name: 'api_key', type: 'secret', description: `API key for the ${what} API` });

export const CONTENT_FILTER_PREBUILTS = [
  'us_ssn', 'email', 'phone', 'visa', 'mastercard', 'amex', 'iban', 'ipv4',
  'aws_access_key', 'aws_secret_key', 'github_token', 'openai_api_key',
] as const;
export type ContentFilterPrebuilt = (typeof CONTENT_FILTER_PREBUILTS)[number];

export const PRESIDIO_ENTITIES = ['EMAIL_ADDRESS', 'PHONE_NUMBER', 'CREDIT_CARD', 'IBAN_CODE', 'US_SSN', 'IP_ADDRESS', 'URL'] as const;

const lakeraParams: readonly ParamDecl[] = [
  apiBase('Lakera Guard', 'https://api.lakera.ai'),
  apiKey('Lakera Guard'),
  { name: 'project_id', type: 'string', description: 'Lakera project whose policy screens the request', dynamic: true },
  { name: 'breakdown', type: 'boolean', description: 'Ask Lakera for the per-detector breakdown (named in the block detail)' },
];

export const CHECK_PARAMS = {
  litellm_content_filter: [
    { name: 'blocked_words', type: 'array', description: 'Keywords to act on: [{keyword, action: BLOCK|MASK, description?}]' },
    {
      name: 'patterns',
      type: 'array',
      description: `Patterns to act on: [{pattern_type: prebuilt|regex, pattern_name (${CONTENT_FILTER_PREBUILTS.join(', ')}) | pattern, name, action: BLOCK|MASK}]`,
    },
  ],
  presidio: [
    { name: 'pii_entities_config', type: 'object', description: `Entity type → MASK|BLOCK, e.g. {EMAIL_ADDRESS: MASK}; built-in recognizers: ${PRESIDIO_ENTITIES.join(', ')}` },
    { name: 'output_parse_pii', type: 'boolean', description: 'Restore the masked originals in the model answer' },
    { name: 'presidio_language', type: 'string', description: 'Language sent to the Presidio analyzer (default en)', dynamic: true },
    { name: 'presidio_filter_scope', type: 'string', values: ['input', 'output', 'both'], description: 'Check the request (input), the answer (output) or both (default)' },
    { name: 'presidio_score_threshold', type: 'float', min: 0, max: 1, description: 'Minimum analyzer score for an entity to count (default 0)', dynamic: true },
    { name: 'presidio_analyzer_api_base', type: 'string', description: 'Presidio analyzer URL; without it the built-in recognizers run in-process' },
    { name: 'presidio_anonymizer_api_base', type: 'string', description: 'Presidio anonymizer URL' },
  ],
  'hide-secrets': [],
  detect_prompt_injection: [
    { name: 'extra_phrases', type: 'array', description: 'More phrases (case-insensitive) that count as an injection attempt' },
  ],
  aporia: [apiBase('Aporia'), apiKey('Aporia')],
  lakera_prompt_injection: lakeraParams,
  lakera_v2: lakeraParams,
  openai_moderation: [
    apiBase('OpenAI moderation', 'https://api.openai.com'),
    apiKey('OpenAI'),
    { name: 'model', type: 'string', description: 'Moderation model (default omni-moderation-latest)' },
  ],
  generic_guardrail_api: [
    apiBase('guardrail (the full URL that receives the POST)'),
    apiKey('guardrail (sent as Authorization: Bearer)'),
    { name: 'headers', type: 'object', description: 'Extra request headers' },
    { name: 'additional_provider_specific_params', type: 'object', description: 'Sent as `params`, merged with per-request params' },
  ],
} as const satisfies Record<string, readonly ParamDecl[]>;

export type BuiltinCheckType = keyof typeof CHECK_PARAMS;
export const BUILTIN_CHECKS = Object.keys(CHECK_PARAMS) as BuiltinCheckType[];

export function isBuiltinCheck(value: string): value is BuiltinCheckType {
  return Object.prototype.hasOwnProperty.call(CHECK_PARAMS, value);
}

/** Params shown by `/guardrails/list`: every declared param except secrets. */
export function publicParams(params: readonly ParamDecl[]): { name: string; type: string; description: string }[] {
  return params
    .filter((p) => p.type !== 'secret')
    .map((p) => ({ name: p.name, type: p.type, description: p.dynamic ? `${p.description} (settable per request)` : p.description }));
}
