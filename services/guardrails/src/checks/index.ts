import { BuiltinCheckType } from '@tollgate/contracts';
import { aporiaCheck } from './aporia.check';
import { CheckFactory } from './check';
import { detectPromptInjectionCheck } from './detect-prompt-injection.check';
import { genericGuardrailApiCheck } from './generic-guardrail-api.check';
import { hideSecretsCheck } from './hide-secrets.check';
import { lakeraPromptInjectionCheck } from './lakera-prompt-injection.check';
import { lakeraV2Check } from './lakera-v2.check';
import { litellmContentFilterCheck } from './litellm-content-filter.check';
import { openaiModerationCheck } from './openai-moderation.check';
import { presidioCheck } from './presidio.check';

/** Every built-in check by its config identifier; the Record type makes a missing one a compile error. */
export const CHECKS: Readonly<Record<BuiltinCheckType, CheckFactory>> = {
  litellm_content_filter: litellmContentFilterCheck,
  presidio: presidioCheck,
  'hide-secrets': hideSecretsCheck,
  detect_prompt_injection: detectPromptInjectionCheck,
  aporia: aporiaCheck,
  lakera_prompt_injection: lakeraPromptInjectionCheck,
  lakera_v2: lakeraV2Check,
  openai_moderation: openaiModerationCheck,
  generic_guardrail_api: genericGuardrailApiCheck,
};

export * from './check';
