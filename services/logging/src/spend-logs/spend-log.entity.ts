import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One row of `<schema>.spend_logs` (partitioned by month on start_time; primary key
 * (request_id, start_time)) (LiteLLM's LiteLLM_SpendLogs). The table itself is created by
 * the migration; this class is how the repository reads it. Text columns are NOT NULL DEFAULT ''
 * (as LiteLLM's are), so "no user" is '' both in a filter and in the reply.
 */
@Entity({ name: 'spend_logs' })
export class SpendLogEntity {
  @PrimaryColumn('text')
  request_id!: string;

  @Column('text')
  call_type!: string;

  /** sha256 hash of the virtual key, '' when the call had none */
  @Column('text')
  api_key!: string;

  /** NUMERIC(20,12): pg returns it as a string, so money never passes through a float here */
  @Column('numeric', { precision: 20, scale: 12 })
  spend!: string;

  /** bigint: pg returns a string */
  @Column('bigint')
  total_tokens!: string;

  @Column('bigint')
  prompt_tokens!: string;

  @Column('bigint')
  completion_tokens!: string;

  /** part of the primary key: the table is partitioned by month on it */
  @PrimaryColumn('timestamptz')
  start_time!: Date;

  @Column('timestamptz')
  end_time!: Date;

  @Column('timestamptz', { nullable: true })
  completion_start_time!: Date | null;

  @Column('text')
  model!: string;

  @Column('text')
  model_id!: string;

  @Column('text')
  model_group!: string;

  @Column('text')
  api_base!: string;

  @Column('text')
  custom_llm_provider!: string;

  @Column('text')
  user!: string;

  @Column('text')
  team_id!: string;

  @Column('text')
  end_user!: string;

  @Column('jsonb')
  metadata!: Record<string, unknown>;

  @Column('jsonb')
  request_tags!: string[];

  @Column('text')
  status!: string;

  @Column('jsonb')
  messages!: unknown;

  @Column('jsonb')
  response!: unknown;

  @Column('text', { nullable: true })
  trace_id!: string | null;

  @Column('text')
  session_id!: string;

  @Column('text')
  requester_ip_address!: string;
}

/** What the consumer writes: the entity's columns with money as a decimal string. */
export interface SpendLogInsert {
  request_id: string;
  call_type: string;
  api_key: string;
  /** decimal string, e.g. "0.000000123456" */
  spend: string;
  total_tokens: number;
  prompt_tokens: number;
  completion_tokens: number;
  start_time: Date;
  end_time: Date;
  completion_start_time: Date | null;
  model: string;
  model_id: string;
  model_group: string;
  api_base: string;
  custom_llm_provider: string;
  user: string;
  team_id: string;
  end_user: string;
  metadata: Record<string, unknown>;
  request_tags: string[];
  status: 'success' | 'failure';
  messages: unknown;
  response: unknown;
  trace_id: string | null;
  session_id: string;
  requester_ip_address: string;
}

/** Column order of the batched INSERT (every key of SpendLogInsert, once). */
export const SPEND_LOG_COLUMNS = [
  'request_id', 'call_type', 'api_key', 'spend', 'total_tokens', 'prompt_tokens', 'completion_tokens',
  'start_time', 'end_time', 'completion_start_time', 'model', 'model_id', 'model_group', 'api_base',
  'custom_llm_provider', 'user', 'team_id', 'end_user', 'metadata', 'request_tags', 'status',
  'messages', 'response', 'trace_id', 'session_id', 'requester_ip_address',
] as const satisfies readonly (keyof SpendLogInsert)[];

export const JSONB_COLUMNS: ReadonlySet<string> = new Set(['metadata', 'request_tags', 'messages', 'response']);
