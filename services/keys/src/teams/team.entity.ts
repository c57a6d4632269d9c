import { Column, Entity, PrimaryColumn } from 'typeorm';

/** `<schema>.teams` (LiteLLM_TeamTable). */
@Entity({ name: 'teams' })
export class TeamEntity {
  @PrimaryColumn('text') team_id!: string;
  @Column('text', { nullable: true }) team_alias!: string | null;
  @Column('text', { nullable: true }) organization_id!: string | null;
  @Column('numeric') spend!: string;
  @Column('numeric', { nullable: true }) max_budget!: string | null;
  @Column('jsonb') models!: string[];
  @Column('bigint', { nullable: true }) tpm_limit!: string | null;
  @Column('bigint', { nullable: true }) rpm_limit!: string | null;
  @Column('integer', { nullable: true }) max_parallel_requests!: number | null;
  @Column('text', { nullable: true }) budget_duration!: string | null;
  @Column('timestamptz', { nullable: true }) budget_reset_at!: Date | null;
  @Column('boolean') blocked!: boolean;
  @Column('jsonb') metadata!: Record<string, unknown>;
  @Column('jsonb', { nullable: true }) team_member_permissions!: string[] | null;
  @Column('jsonb') model_aliases!: Record<string, string>;
  @Column('timestamptz') created_at!: Date;
  @Column('timestamptz') updated_at!: Date;
  @Column('text', { nullable: true }) created_by!: string | null;
  @Column('text', { nullable: true }) updated_by!: string | null;
}
