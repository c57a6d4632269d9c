/** Callback names Tollgate runs (LiteLLM's names); `otel` is accepted: the gateway exports the spans. */
export const SUPPORTED_CALLBACKS = ['generic_api', 'datadog', 'otel'] as const;
export type SupportedCallback = (typeof SUPPORTED_CALLBACKS)[number];

export interface CallbackSettings {
  /** `litellm_settings.success_callback` + `callbacks` */
  success: SupportedCallback[];
  /** `litellm_settings.failure_callback` + `callbacks` */
  failure: SupportedCallback[];
  /** names in the config Tollgate does not run (custom classes, other vendors): warned about, skipped */
  unsupported: string[];
  /** `litellm_settings.turn_off_message_logging`: messages and response never leave the service */
  turnOffMessageLogging: boolean;
}

function names(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

function isSupported(name: string): name is SupportedCallback {
  return (SUPPORTED_CALLBACKS as readonly string[]).includes(name);
}

/** Reads the callback lists from `litellm_settings` (a loose object in the config schema). */
export function callbackSettingsFrom(litellmSettings: Readonly<Record<string, unknown>> | undefined): CallbackSettings {
  const s = litellmSettings ?? {};
  const both = names(s.callbacks);
  const success = [...new Set([...names(s.success_callback), ...both])];
  const failure = [...new Set([...names(s.failure_callback), ...both])];
  const unsupported = [...new Set([...success, ...failure].filter((n) => !isSupported(n)))];
  return {
    success: success.filter(isSupported),
    failure: failure.filter(isSupported),
    unsupported,
    turnOffMessageLogging: s.turn_off_message_logging === true,
  };
}

export const NO_CALLBACKS: CallbackSettings = { success: [], failure: [], unsupported: [], turnOffMessageLogging: false };
