import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { UserRole } from '@tollgate/contracts';

/** `<schema>.users` (LiteLLM_UserTable). */
@Entity({ name: 'users' })
export class UserEntity {
  @PrimaryColumn('text') user_id!: string;
  @Column('text', { nullable: true }) user_email!: string | null;
  @Column('text', { nullable: true }) user_alias!: string | null;
  @Column('text') user_role!: UserRole;
  @Column('numeric') spend!: string;
  @Column('numeric', { nullable: true }) max_budget!: string | null;
  @Column('jsonb') models!: string[];
  @Column('bigint', { nullable: true }) tpm_limit!: string | null;
  @Column('bigint', { nullable: true }) rpm_limit!: string | null;
  @Column('integer', { nullable: true }) max_parallel_requests!: number | null;
  @Column('text', { nullable: true }) budget_duration!: string | null;
  @Column('timestamptz', { nullable: true }) budget_reset_at!: Date | null;
  @Column('jsonb') metadata!: Record<string, unknown>;
  @Column('timestamptz') created_at!: Date;
  @Column('timestamptz') updated_at!: Date;
  @Column('text', { nullable: true }) created_by!: string | null;
  @Column('text', { nullable: true }) updated_by!: string | null;
}
