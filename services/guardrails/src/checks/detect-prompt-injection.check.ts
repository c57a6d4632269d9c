import { CHECK_PARAMS } from '@tollgate/contracts';
import { CheckFactory, CheckResult, sameForEveryMode } from './check';

/**
 * Heuristics, by category. Each is a phrase family seen in published jailbreaks; the text is
 * lower-cased and its whitespace collapsed before matching, so spacing tricks do not help.
 */
const HEURISTICS: readonly { category: string; re: RegExp }[] = [
  {
    category: 'instruction_override',
    re: /\b(?:ignore|disregard|forget|skip|bypass|override)\b(?: all| any| the| your| my| every)*(?: of)?(?: the| your)* (?:previous|prior|above|earlier|preceding|initial|original|system|developer)\b[\w ]{0,20}?\b(?:instructions?|prompts?|rules|directions|guidelines|messages?|context|constraints)\b/,
  },
  { category: 'instruction_override', re: /\b(?:new|updated) (?:system )?instructions?:/ },
  { category: 'instruction_override', re: /\bfrom now on,? (?:you (?:will|must|are)|ignore|do not follow)\b/ },
  {
    category: 'system_prompt_extraction',
    re: /\b(?:reveal|print|show|repeat|output|tell me|display|leak)\b[\w ]{0,20}?\b(?:system prompt|hidden prompt|initial prompt|(?:your|the) (?:instructions|rules))\b/,
  },
  { category: 'role_play_jailbreak', re: /\b(?:you are|you're|act as|pretend to be|roleplay as|role-play as)\b[\w ]{0,20}?\bdan\b/ },
  { category: 'role_play_jailbreak', re: /\bdo anything now\b/ },
  { category: 'role_play_jailbreak', re: /\b(?:developer|god|jailbreak|dan|unrestricted) mode (?:enabled|on|activated)\b/ },
  {
    category: 'role_play_jailbreak',
    re: /\b(?:pretend|imagine|act as if|roleplay|role-play|you are now|act as)\b[\w ,']{0,60}?\b(?:no|without|free of|free from|not bound by|unbound by)\b[\w ]{0,20}?\b(?:restrictions|rules|filters|limitations|guidelines|ethics|policies|censorship)\b/,
  },
  { category: 'role_play_jailbreak', re: /\b(?:unfiltered|uncensored|jailbroken|unrestricted) (?:ai|assistant|model|chatbot|version|mode)\b/ },
  { category: 'delimiter_injection', re: /<\|im_start\|>\s*system|\[\/?inst\]|<<sys>>|^#{2,} ?system ?:/m },
];

function normalize(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ');
}

/** The first injection category a text matches, or null. */
export function detectInjection(text: string, extraPhrases: readonly string[] = []): string | null {
  const t = normalize(text);
  for (const h of HEURISTICS) if (h.re.test(t)) return h.category;
  for (const p of extraPhrases) if (t.includes(p)) return 'custom_phrase';
  return null;
}

/** `detect_prompt_injection`: blocks instruction-override and role-play jailbreak attempts. */
export const detectPromptInjectionCheck: CheckFactory = {
  params: CHECK_PARAMS.detect_prompt_injection,
  create({ litellmParams }) {
    const extra = litellmParams.extra_phrases ?? [];
    if (!Array.isArray(extra) || !extra.every((p) => typeof p === 'string' && p.trim() !== '')) {
      throw new Error('litellm_params.extra_phrases must be a list of non-empty strings');
    }
    const phrases = (extra as string[]).map(normalize);
    return sameForEveryMode(this.params, ({ texts }): CheckResult => {
      for (const t of texts) {
        const category = detectInjection(t, phrases);
        if (category) {
          const detail = `Prompt injection detected (${category})`;
          return { action: 'block', detail, response: { error: detail, category } };
        }
      }
      return { action: 'allow' };
    });
  },
};
