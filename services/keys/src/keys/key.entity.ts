import { Column, Entity, PrimaryColumn } from 'typeorm';

/** `<schema>.keys`: one virtual key. Created by the migration; NUMERIC columns read back as strings. */
@Entity({ name: 'keys' })
export class KeyEntity {
  /** sha256 hex of the raw key */
  @PrimaryColumn('text') token!: string;
  @Column('text', { nullable: true }) key_name!: string | null;
  @Column('text', { nullable: true }) key_alias!: string | null;
  @Column('numeric') spend!: string;
  @Column('numeric', { nullable: true }) max_budget!: string | null;
  @Column('timestamptz', { nullable: true }) expires!: Date | null;
  @Column('jsonb') models!: string[];
  @Column('jsonb') aliases!: Record<string, unknown>;
  @Column('jsonb') config!: Record<string, unknown>;
  @Column('text', { nullable: true }) user_id!: string | null;
  @Column('text', { nullable: true }) team_id!: string | null;
  @Column('text', { nullable: true }) organization_id!: string | null;
  @Column('integer', { nullable: true }) max_parallel_requests!: number | null;
  @Column('bigint', { nullable: true }) tpm_limit!: string | null;
  @Column('bigint', { nullable: true }) rpm_limit!: string | null;
  @Column('text', { nullable: true }) budget_duration!: string | null;
  @Column('timestamptz', { nullable: true }) budget_reset_at!: Date | null;
  @Column('text', { nullable: true }) budget_id!: string | null;
  @Column('jsonb') metadata!: Record<string, unknown>;
  @Column('jsonb') allowed_cache_controls!: string[];
  @Column('jsonb') allowed_routes!: string[];
  @Column('jsonb') permissions!: Record<string, unknown>;
  @Column('jsonb') model_spend!: Record<string, unknown>;
  @Column('jsonb') model_max_budget!: Record<string, unknown>;
  @Column('boolean') soft_budget_cooldown!: boolean;
  @Column('boolean', { nullable: true }) blocked!: boolean | null;
  @Column('timestamptz') created_at!: Date;
  @Column('text', { nullable: true }) created_by!: string | null;
  @Column('timestamptz') updated_at!: Date;
  @Column('text', { nullable: true }) updated_by!: string | null;
}

