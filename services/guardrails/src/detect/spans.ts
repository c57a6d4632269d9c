/** A found piece of text: [start, end) in UTF-16 units, and what found it. */
export interface Span {
  start: number;
  end: number;
  label: string;
  score?: number;
}

export interface Detector {
  readonly label: string;
  find(text: string): Span[];
}

/**
 * A detector from a regex. `group` masks only that capture group (a secret after its `key=`), and
 * `validate` drops look-alikes (a card number that fails Luhn).
 */
export function regexDetector(label: string, re: RegExp, opts: { group?: number; validate?: (s: string) => boolean } = {}): Detector {
  const flags = new Set(re.flags.split(''));
  flags.add('g');
  if (opts.group !== undefined) flags.add('d');
  const global = new RegExp(re.source, [...flags].join(''));
  return {
    label,
    find(text: string): Span[] {
      const out: Span[] = [];
      global.lastIndex = 0;
      for (let m = global.exec(text); m !== null; m = global.exec(text)) {
        if (m[0].length === 0) {
          global.lastIndex++;
          continue;
        }
        let start = m.index;
        let end = m.index + m[0].length;
        if (opts.group !== undefined) {
          const idx = m.indices?.[opts.group];
          if (!idx) continue;
          [start, end] = idx;
        }
        if (opts.validate && !opts.validate(text.slice(start, end))) continue;
        out.push({ start, end, label });
      }
      return out;
    },
  };
}

/** Non-overlapping spans in text order; of two that overlap, the earlier (then the longer) wins. */
export function mergeSpans(spans: readonly Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - b.start - (a.end - a.start));
  const out: Span[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.start < last.end) continue;
    out.push(s);
  }
  return out;
}

/** Replaces each (non-overlapping, sorted) span with what `replacement` returns for it. */
export function replaceSpans(text: string, spans: readonly Span[], replacement: (span: Span, original: string) => string): string {
  let out = '';
  let at = 0;
  for (const s of spans) {
    out += text.slice(at, s.start) + replacement(s, text.slice(s.start, s.end));
    at = s.end;
  }
  return out + text.slice(at);
}

export function findAll(detectors: readonly Detector[], text: string): Span[] {
  return mergeSpans(detectors.flatMap((d) => d.find(text)));
}

export function countByLabel(spans: readonly Span[], into: Record<string, number> = {}): Record<string, number> {
  for (const s of spans) into[s.label] = (into[s.label] ?? 0) + 1;
  return into;
}
