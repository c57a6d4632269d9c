import { CHECK_PARAMS, CONTENT_FILTER_PREBUILTS, ContentFilterPrebuilt } from '@tollgate/contracts';
import { prebuiltDetectors } from '../detect/patterns';
import { countByLabel, Detector, findAll, regexDetector, replaceSpans, Span } from '../detect/spans';
import { CheckFactory, CheckResult, sameForEveryMode } from './check';

type Action = 'BLOCK' | 'MASK';

interface Rule {
  /** what the block detail and the mask tag are named after */
  name: string;
  kind: 'keyword' | 'pattern';
  action: Action;
  detectors: Detector[];
}

function action(v: unknown, where: string): Action {
  const a = typeof v === 'string' ? v.toUpperCase() : v;
  if (a !== 'BLOCK' && a !== 'MASK') throw new Error(`${where}.action must be BLOCK or MASK`);
  return a;
}

function record(v: unknown, where: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`${where} must be an object`);
  return v as Record<string, unknown>;
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function keywordRule(item: unknown, i: number): Rule {
  const where = `litellm_params.blocked_words[${i}]`;
  const w = record(item, where);
  if (typeof w.keyword !== 'string' || w.keyword.trim() === '') throw new Error(`${where}.keyword is required`);
  const kw = w.keyword.trim();
  // whole words only where the keyword starts / ends with a word character, case-insensitive
  const source = `${/^\w/.test(kw) ? '\\b' : ''}${escapeRegex(kw)}${/\w$/.test(kw) ? '\\b' : ''}`;
  return { name: kw, kind: 'keyword', action: action(w.action, where), detectors: [regexDetector('KEYWORD', new RegExp(source, 'i'))] };
}

/** Python-style leading inline flags (`(?i)`) as LiteLLM configs write them. */
function compileRegex(pattern: string, where: string): RegExp {
  let source = pattern;
  let flags = '';
  const inline = /^\(\?([imsx]+)\)/.exec(source);
  if (inline) {
    source = source.slice(inline[0].length);
    flags = [...new Set(inline[1].replace('x', '').split(''))].join('');
  }
  try {
    return new RegExp(source, flags);
  } catch (e) {
    throw new Error(`${where}.pattern is not a valid regex: ${(e as Error).message}`);
  }
}

function patternRule(item: unknown, i: number): Rule {
  const where = `litellm_params.patterns[${i}]`;
  const p = record(item, where);
  const type = p.pattern_type ?? 'prebuilt';
  const act = action(p.action, where);
  if (type === 'prebuilt') {
    const pn = p.pattern_name;
    if (typeof pn !== 'string' || !(CONTENT_FILTER_PREBUILTS as readonly string[]).includes(pn)) {
      throw new Error(`${where}.pattern_name must be one of ${CONTENT_FILTER_PREBUILTS.join(', ')}`);
    }
    const name = typeof p.name === 'string' && p.name ? p.name : pn;
    return { name, kind: 'pattern', action: act, detectors: prebuiltDetectors(pn as ContentFilterPrebuilt, name) };
  }
  if (type === 'regex') {
    if (typeof p.pattern !== 'string' || p.pattern === '') throw new Error(`${where}.pattern is required for pattern_type regex`);
    const name = typeof p.name === 'string' && p.name ? p.name : 'custom_pattern';
    return { name, kind: 'pattern', action: act, detectors: [regexDetector(name, compileRegex(p.pattern, where))] };
  }
  throw new Error(`${where}.pattern_type must be prebuilt or regex`);
}

export function maskTag(rule: Pick<Rule, 'name' | 'kind'>): string {
  if (rule.kind === 'keyword') return '[KEYWORD_REDACTED]';
  return `[${rule.name.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_REDACTED]`;
}

/**
 * `litellm_content_filter`: keywords and patterns (prebuilt or regex), each BLOCK or MASK. Any BLOCK
 * match blocks; otherwise every MASK match is replaced by a name-based tag (`[EMAIL_REDACTED]`).
 */
export const litellmContentFilterCheck: CheckFactory = {
  params: CHECK_PARAMS.litellm_content_filter,
  create({ litellmParams }) {
    const words = litellmParams.blocked_words ?? [];
    const patterns = litellmParams.patterns ?? [];
    if (!Array.isArray(words)) throw new Error('litellm_params.blocked_words must be a list');
    if (!Array.isArray(patterns)) throw new Error('litellm_params.patterns must be a list');
    const rules = [...words.map(keywordRule), ...patterns.map(patternRule)];
    if (rules.length === 0) throw new Error('litellm_params needs blocked_words or patterns');
    const blockers = rules.filter((r) => r.action === 'BLOCK');
    const maskers = rules.filter((r) => r.action === 'MASK');

    return sameForEveryMode(this.params, ({ texts }): CheckResult => {
      for (const rule of blockers) {
        if (texts.some((t) => rule.detectors.some((d) => d.find(t).length > 0))) {
          const detail = rule.kind === 'keyword' ? `Content blocked: keyword "${rule.name}" detected` : `Content blocked: ${rule.name} pattern detected`;
          return { action: 'block', detail, response: { error: detail, [rule.kind]: rule.name } };
        }
      }
      if (maskers.length === 0) return { action: 'allow' };
      const tags = new Map<string, string>();
      const detectors = maskers.flatMap((r) => r.detectors.map((d) => ({ d, r })));
      const counts: Record<string, number> = {};
      let changed = false;
      const out = texts.map((t) => {
        const spans: Span[] = findAll(
          detectors.map(({ d, r }) => ({ label: r.name, find: (s: string) => d.find(s).map((x) => ({ ...x, label: r.name })) })),
          t,
        );
        if (spans.length === 0) return t;
        changed = true;
        countByLabel(spans, counts);
        for (const r of maskers) tags.set(r.name, maskTag(r));
        return replaceSpans(t, spans, (s) => tags.get(s.label) ?? '[REDACTED]');
      });
      if (!changed) return { action: 'allow' };
      return { action: 'modify', texts: out, maskedEntityCount: counts, response: { masked_entity_count: counts } };
    });
  },
};
