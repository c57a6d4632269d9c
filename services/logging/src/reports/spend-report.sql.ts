import { spendLogsTable, SqlQuery, Where } from '../spend-logs/spend-logs.sql';
import { ReportFilter, SummaryFilter } from './spend-report.query';

/**
 * Aggregates over `spend_logs`. Each is bounded by a start_time range (partition pruning plus the
 * start_time index, or the (column, start_time) index of the filtered column), and sums money in
 * SQL numeric, turned into a float only at the edge. GROUPING SETS return every total the reply
 * needs from one scan, each summed exactly.
 */
function rangeWhere(f: SummaryFilter | ReportFilter): Where {
  const w = new Where();
  w.add((p) => `"start_time" >= ${p}`, f.from);
  w.add((p) => `"start_time" < ${p}`, f.to);
  if (f.apiKey !== undefined) w.add((p) => `"api_key" = ${p}`, f.apiKey);
  if (f.userId !== undefined) w.add((p) => `"user" = ${p}`, f.userId);
  if (f.teamId !== undefined) w.add((p) => `"team_id" = ${p}`, f.teamId);
  if ('requestId' in f && f.requestId !== undefined) w.add((p) => `"request_id" = ${p}`, f.requestId);
  if ('customerId' in f && f.customerId !== undefined) w.add((p) => `"end_user" = ${p}`, f.customerId);
  return w;
}

const DAY = `("start_time" AT TIME ZONE 'UTC')::date AS day`;

/** rows: g=7 day total, g=3 per key, g=5 per user, g=6 per model (GROUPING bit set = not grouped) */
export function summarySql(schema: string, f: SummaryFilter): SqlQuery {
  const w = rangeWhere(f);
  return {
    sql: `SELECT to_char(day, 'YYYY-MM-DD') AS day, api_key, "user", model, GROUPING(api_key, "user", model) AS g, SUM(spend)::text AS spend
      FROM (SELECT ${DAY}, "api_key", "user", "model", "spend" FROM ${spendLogsTable(schema)} ${w}) x
      GROUP BY GROUPING SETS ((day), (day, api_key), (day, "user"), (day, model))
      ORDER BY day`,
    params: w.params,
  };
}

/** team or customer per day; g=3 the party's day total, g=0 one (model, key) pair */
export function partyDaySql(schema: string, f: ReportFilter, party: 'team' | 'customer'): SqlQuery {
  const w = rangeWhere(f);
  const col = party === 'team' ? `"team_id"` : `"end_user"`;
  const alias = party === 'team' ? `"metadata"->>'user_api_key_team_alias'` : 'NULL::text';
  return {
    sql: `SELECT to_char(day, 'YYYY-MM-DD') AS day, party, model, api_key, GROUPING(model, api_key) AS g,
        MAX(alias) AS alias, SUM(spend)::text AS spend, SUM(total_tokens)::text AS total_tokens
      FROM (SELECT ${DAY}, ${col} AS party, ${alias} AS alias, "model", "api_key", "spend", "total_tokens"
              FROM ${spendLogsTable(schema)} ${w}) x
      GROUP BY GROUPING SETS ((day, party), (day, party, model, api_key))
      ORDER BY day, party, model, api_key`,
    params: w.params,
  };
}

/** per key (g=1) and per (key, model) (g=0) */
export function apiKeySql(schema: string, f: ReportFilter): SqlQuery {
  const w = rangeWhere(f);
  return {
    sql: `SELECT "api_key", "model", GROUPING("model") AS g, SUM("spend")::text AS spend,
        SUM("prompt_tokens")::text AS input_tokens, SUM("completion_tokens")::text AS output_tokens
      FROM ${spendLogsTable(schema)} ${w}
      GROUP BY GROUPING SETS (("api_key"), ("api_key", "model"))`,
    params: w.params,
  };
}

export function modelSql(schema: string, f: ReportFilter): SqlQuery {
  const w = rangeWhere(f);
  return {
    sql: `SELECT "model", SUM("spend")::text AS spend, SUM("prompt_tokens")::text AS input_tokens,
        SUM("completion_tokens")::text AS output_tokens, SUM("total_tokens")::text AS total_tokens, COUNT(*)::text AS requests
      FROM ${spendLogsTable(schema)} ${w}
      GROUP BY "model" ORDER BY SUM("spend") DESC, "model"`,
    params: w.params,
  };
}

export function daySql(schema: string, f: ReportFilter): SqlQuery {
  const w = rangeWhere(f);
  return {
    sql: `SELECT to_char(day, 'YYYY-MM-DD') AS day, SUM(spend)::text AS spend, SUM(prompt_tokens)::text AS input_tokens,
        SUM(completion_tokens)::text AS output_tokens, SUM(total_tokens)::text AS total_tokens, COUNT(*)::text AS requests
      FROM (SELECT ${DAY}, "spend", "prompt_tokens", "completion_tokens", "total_tokens" FROM ${spendLogsTable(schema)} ${w}) x
      GROUP BY day ORDER BY day`,
    params: w.params,
  };
}
