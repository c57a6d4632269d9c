import { CHECK_PARAMS } from '@tollgate/contracts';
import type { HttpClient } from '../external/http-client';
import { ExternalCallError } from '../external/http-client';
import { presidioRecognizers } from '../detect/patterns';
import { countByLabel, Detector, mergeSpans, replaceSpans, Span } from '../detect/spans';
import { CheckFactory, CheckInput, CheckResult, optionalString, sameForEveryMode, trimSlash } from './check';

type EntityAction = 'MASK' | 'BLOCK';
type Scope = 'input' | 'output' | 'both';

interface PresidioConfig {
  entities: Record<string, EntityAction> | null;
  outputParsePii: boolean;
  language: string;
  scope: Scope;
  scoreThreshold: number;
  analyzer: string | undefined;
  anonymizer: string | undefined;
}

function readConfig(p: Readonly<Record<string, unknown>>): PresidioConfig {
  let entities: Record<string, EntityAction> | null = null;
  if (p.pii_entities_config !== undefined && p.pii_entities_config !== null) {
    entities = {};
    for (const [k, v] of Object.entries(p.pii_entities_config as Record<string, unknown>)) {
      const a = typeof v === 'string' ? v.toUpperCase() : v;
      if (a !== 'MASK' && a !== 'BLOCK') throw new Error(`litellm_params.pii_entities_config.${k} must be MASK or BLOCK`);
      entities[k] = a;
    }
  }
  const scope = (p.presidio_filter_scope ?? 'both') as Scope;
  return {
    entities,
    outputParsePii: p.output_parse_pii === true,
    language: optionalString(p, 'presidio_language') ?? 'en',
    scope,
    scoreThreshold: typeof p.presidio_score_threshold === 'number' ? p.presidio_score_threshold : 0,
    analyzer: optionalString(p, 'presidio_analyzer_api_base'),
    anonymizer: optionalString(p, 'presidio_anonymizer_api_base'),
  };
}

interface AnalyzerResult {
  entity_type: string;
  start: number;
  end: number;
  score: number;
}

function parseAnalyzerReply(body: unknown, textLength: number): AnalyzerResult[] {
  if (!Array.isArray(body)) throw new ExternalCallError('Presidio analyzer reply is not a list');
  return body.flatMap((r: unknown) => {
    const x = r as Partial<AnalyzerResult>;
    const ok = typeof x.entity_type === 'string' && Number.isInteger(x.start) && Number.isInteger(x.end) && x.start! >= 0 && x.end! <= textLength && x.start! < x.end!;
    return ok ? [{ entity_type: x.entity_type!, start: x.start!, end: x.end!, score: typeof x.score === 'number' ? x.score : 1 }] : [];
  });
}

/**
 * Placeholders for one run, shared by every text so the same value gets the same placeholder. With
 * `unique` (output_parse_pii) the second distinct value of a type is `<TYPE_2>`, and so on, so the
 * answer can be restored; without it every value is `<TYPE>` as Presidio's replace operator writes it.
 */
export class PlaceholderBook {
  private readonly byValue = new Map<string, string>();
  private readonly perType = new Map<string, number>();
  readonly restore: Record<string, string> = {};

  constructor(private readonly unique: boolean) {}

  placeholder(type: string, original: string): string {
    if (!this.unique) return `<${type}>`;
    const key = `${type}\u0000${original}`;
    const known = this.byValue.get(key);
    if (known) return known;
    const n = (this.perType.get(type) ?? 0) + 1;
    this.perType.set(type, n);
    const ph = n === 1 ? `<${type}>` : `<${type}_${n}>`;
    this.byValue.set(key, ph);
    this.restore[ph] = original;
    return ph;
  }
}

class PresidioCheck {
  private readonly recognizers: Detector[] = presidioRecognizers();

  constructor(
    private readonly cfg: PresidioConfig,
    private readonly http: HttpClient,
  ) {}

  async run(input: CheckInput): Promise<CheckResult> {
    const { cfg } = this;
    const side = input.inputType === 'request' ? 'input' : 'output';
    if (cfg.scope !== 'both' && cfg.scope !== side) return { action: 'allow', response: `skipped: presidio_filter_scope is ${cfg.scope}` };
    const language = typeof input.params.presidio_language === 'string' ? input.params.presidio_language : cfg.language;
    const threshold = typeof input.params.presidio_score_threshold === 'number' ? input.params.presidio_score_threshold : cfg.scoreThreshold;

    const found: Span[][] = [];
    for (const text of input.texts) found.push(await this.analyze(text, language, threshold, input.signal));

    for (const spans of found) {
      const blocked = spans.find((s) => cfg.entities?.[s.label] === 'BLOCK');
      if (blocked) {
        const detail = `Blocked entity detected: ${blocked.label}. This entity is not allowed to be used in this request.`;
        return { action: 'block', detail, response: { blocked_entity: blocked.label } };
      }
    }
    const book = new PlaceholderBook(cfg.outputParsePii);
    const counts: Record<string, number> = {};
    const texts: string[] = [];
    for (let i = 0; i < input.texts.length; i++) {
      const text = input.texts[i];
      const masked = found[i].filter((s) => !cfg.entities || cfg.entities[s.label] === 'MASK');
      if (masked.length === 0) {
        texts.push(text);
        continue;
      }
      countByLabel(masked, counts);
      texts.push(await this.anonymize(text, masked, book, input.signal));
    }
    if (Object.keys(counts).length === 0) return { action: 'allow' };
    const restore = cfg.outputParsePii ? book.restore : undefined;
    return { action: 'modify', texts, maskedEntityCount: counts, restore, response: { masked_entity_count: counts } };
  }

  private async analyze(text: string, language: string, threshold: number, signal: AbortSignal): Promise<Span[]> {
    if (text.length === 0) return [];
    const wanted = this.cfg.entities ? Object.keys(this.cfg.entities) : undefined;
    let spans: Span[];
    if (this.cfg.analyzer) {
      const body = { text, language, ...(wanted ? { entities: wanted } : {}), ...(threshold > 0 ? { score_threshold: threshold } : {}) };
      const reply = await this.http.postJson('Presidio analyzer', `${trimSlash(this.cfg.analyzer)}/analyze`, body, { signal });
      spans = parseAnalyzerReply(reply, text.length).map((r) => ({ start: r.start, end: r.end, label: r.entity_type, score: r.score }));
    } else {
      spans = this.recognizers.flatMap((d) => d.find(text)).map((s) => ({ ...s, score: 1 }));
    }
    return mergeSpans(spans.filter((s) => (s.score ?? 1) >= threshold && (!wanted || wanted.includes(s.label))));
  }

  /**
   * Masks with the Presidio anonymizer when one is configured and placeholders need not be unique
   * (the anonymizer's replace operator cannot number them per value); otherwise in-process.
   */
  private async anonymize(text: string, spans: Span[], book: PlaceholderBook, signal: AbortSignal): Promise<string> {
    if (this.cfg.anonymizer && !this.cfg.outputParsePii) {
      const analyzer_results = spans.map((s) => ({ entity_type: s.label, start: s.start, end: s.end, score: s.score ?? 1 }));
      const reply = (await this.http.postJson('Presidio anonymizer', `${trimSlash(this.cfg.anonymizer)}/anonymize`, {
        text,
        analyzer_results,
        anonymizers: { DEFAULT: { type: 'replace' } },
      }, { signal })) as { text?: unknown };
      if (typeof reply?.text !== 'string') throw new ExternalCallError('Presidio anonymizer reply has no text');
      return reply.text;
    }
    return replaceSpans(text, spans, (s, original) => book.placeholder(s.label, original));
  }
}

/**
 * `presidio`: PII by entity type, each MASK (`<ENTITY_TYPE>`) or BLOCK. A real Presidio analyzer /
 * anonymizer when their api bases are set, else built-in recognizers for EMAIL_ADDRESS, PHONE_NUMBER,
 * CREDIT_CARD (Luhn), IBAN_CODE (mod 97), US_SSN, IP_ADDRESS and URL.
 */
export const presidioCheck: CheckFactory = {
  params: CHECK_PARAMS.presidio,
  create({ litellmParams, http }) {
    const check = new PresidioCheck(readConfig(litellmParams), http);
    return sameForEveryMode(this.params, (input) => check.run(input));
  },
};
