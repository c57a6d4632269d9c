import { OpenAIList } from '@tollgate/contracts';

/** Rows fetched with `limit + 1` → an OpenAI list page. */
export function page<R, T extends { id: string }>(rows: R[], limit: number, map: (r: R) => T): OpenAIList<T> {
  const data = rows.slice(0, limit).map(map);
  return { object: 'list', data, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null, has_more: rows.length > limit };
}
