import { GuardrailMode } from '@tollgate/contracts';
import { HttpClient } from '../external/http-client';
import { CheckFactory, CheckInput, CheckResult, GuardrailCheck, hookFor } from './check';

/** Builds a check the way the registry does and runs one hook on some texts (unit specs only). */
export function build(factory: CheckFactory, litellmParams: Record<string, unknown>, name = 'g'): GuardrailCheck {
  return factory.create({ guardrailName: name, litellmParams, http: new HttpClient() });
}

export async function runCheck(
  check: GuardrailCheck,
  texts: string[],
  opts: { mode?: GuardrailMode; inputType?: 'request' | 'response'; params?: Record<string, unknown> } = {},
): Promise<CheckResult> {
  const mode = opts.mode ?? 'pre_call';
  const inputType = opts.inputType ?? (mode === 'post_call' ? 'response' : 'request');
  const hook = hookFor(check, mode, inputType);
  if (!hook) throw new Error(`no hook for ${mode}`);
  const input: CheckInput = {
    guardrailName: 'g', mode, inputType, callType: 'acompletion', texts, params: opts.params ?? {},
    requestData: { model: 'gpt-4o' }, signal: new AbortController().signal,
  };
  return (await hook(input)) ?? { action: 'allow' };
}
