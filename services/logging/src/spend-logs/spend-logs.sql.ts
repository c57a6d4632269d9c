import { SPEND_LOG_COLUMNS } from './spend-log.entity';
import { SpendLogsFilter } from './spend-logs.query';

/** A statement and its parameters, built apart from running it so tests can EXPLAIN it. */
export interface SqlQuery {
  sql: string;
  params: unknown[];
}

/** `"<schema>"."spend_logs"` */
export function spendLogsTable(schema: string): string {
  return `${quoteIdent(schema)}."spend_logs"`;
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Collects AND-ed conditions with numbered parameters. */
export class Where {
  readonly params: unknown[] = [];
  private readonly conditions: string[] = [];

  add(condition: (param: string) => string, value: unknown): this {
    this.params.push(value);
    this.conditions.push(condition(`$${this.params.length}`));
    return this;
  }

  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  toString(): string {
    return this.conditions.length ? `WHERE ${this.conditions.join(' AND ')}` : '';
  }
}

/**
 * `/spend/logs` rows, newest first. Every filter is served by an index: request_id by the
 * primary key (request_id, start_time), key / user / team by their (column, start_time) index,
 * a date range alone by start_time (and by partition pruning).
 */
export function findSpendLogsSql(schema: string, filter: SpendLogsFilter): SqlQuery {
  const w = new Where();
  if (filter.requestId !== undefined) w.add((p) => `"request_id" = ${p}`, filter.requestId);
  if (filter.apiKey !== undefined) w.add((p) => `"api_key" = ${p}`, filter.apiKey);
  if (filter.userId !== undefined) w.add((p) => `"user" = ${p}`, filter.userId);
  if (filter.teamId !== undefined) w.add((p) => `"team_id" = ${p}`, filter.teamId);
  if (filter.from !== undefined) w.add((p) => `"start_time" >= ${p}`, filter.from);
  if (filter.to !== undefined) w.add((p) => `"start_time" ${filter.to!.inclusive ? '<=' : '<'} ${p}`, filter.to.at);
  const limit = w.param(filter.limit);
  const offset = w.param(filter.offset);
  const columns = SPEND_LOG_COLUMNS.map(quoteIdent).join(', ');
  return {
    sql: `SELECT ${columns} FROM ${spendLogsTable(schema)} ${w} ORDER BY "start_time" DESC, "request_id" DESC LIMIT ${limit} OFFSET ${offset}`,
    params: w.params,
  };
}
