import { CHECK_PARAMS } from '@tollgate/contracts';
import { CheckContext, CheckFactory, GuardrailCheck } from './check';
import { createLakeraCheck } from './lakera-v2.check';

/** `lakera_prompt_injection`: LiteLLM's older name for Lakera Guard; screened through the v2 API. */
export const lakeraPromptInjectionCheck: CheckFactory = {
  params: CHECK_PARAMS.lakera_prompt_injection,
  create(ctx: CheckContext): GuardrailCheck {
    return createLakeraCheck(this.params, ctx);
  },
};
