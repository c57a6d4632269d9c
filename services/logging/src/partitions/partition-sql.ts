/**
 * SQL for `spend_logs`' monthly range partitions, shared by the partitioning migration and the
 * maintenance job. Months are UTC calendar months; a partition is named `spend_logs_pYYYYMM`.
 */
export const PARTITION_NAME = /^spend_logs_p(\d{4})(\d{2})$/;
export const DEFAULT_PARTITION = 'spend_logs_default';

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** First instant of the UTC month holding `at`. */
export function monthStart(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
}

export function addMonths(month: Date, n: number): Date {
  return new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + n, 1));
}

export function partitionName(month: Date): string {
  return `spend_logs_p${month.getUTCFullYear()}${String(month.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** The month a partition name covers, or null for the default (or a foreign) table. */
export function partitionMonth(name: string): Date | null {
  const m = PARTITION_NAME.exec(name);
  return m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1)) : null;
}

/**
 * Statements that create the month's partition. Rows already sitting in the default partition
 * for that month are moved first: ATTACH refuses a range the default partition still holds.
 * Run them in one transaction.
 */
export function createMonthPartitionSql(schema: string, month: Date): string[] {
  const s = quoteIdent(schema);
  const name = quoteIdent(partitionName(month));
  const from = month.toISOString();
  const to = addMonths(month, 1).toISOString();
  return [
    `CREATE TABLE ${s}.${name} (LIKE ${s}."spend_logs" INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`,
    `WITH moved AS (DELETE FROM ${s}."${DEFAULT_PARTITION}" WHERE "start_time" >= '${from}' AND "start_time" < '${to}' RETURNING *)
     INSERT INTO ${s}.${name} SELECT * FROM moved`,
    `ALTER TABLE ${s}."spend_logs" ATTACH PARTITION ${s}.${name} FOR VALUES FROM ('${from}') TO ('${to}')`,
  ];
}
