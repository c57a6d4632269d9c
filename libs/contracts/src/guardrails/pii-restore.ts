/**
 * `output_parse_pii`: put the originals back into an answer. Placeholders are `<ENTITY_TYPE>` for the
 * first distinct value of a type and `<ENTITY_TYPE_2>`, `<ENTITY_TYPE_3>`, … for the next ones, so no
 * placeholder is a substring of another. One pass: a restored value is never rescanned.
 */
export function restorePii(text: string, restore: Readonly<Record<string, string>> | undefined): string {
  if (!restore) return text;
  const keys = Object.keys(restore);
  if (keys.length === 0) return text;
  const alternation = keys
    .sort((a, b) => b.length - a.length)
    .map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('|');
  return text.replace(new RegExp(alternation, 'g'), (m) => restore[m] ?? m);
}
