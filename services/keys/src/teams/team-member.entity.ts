import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { TeamMemberRole } from '@tollgate/contracts';

/** `<schema>.team_members`: membership, role and the member's own budget inside the team. */
@Entity({ name: 'team_members' })
export class TeamMemberEntity {
  @PrimaryColumn('text') team_id!: string;
  @PrimaryColumn('text') user_id!: string;
  @Column('text') role!: TeamMemberRole;
  @Column('numeric') spend!: string;
  @Column('numeric', { nullable: true }) max_budget_in_team!: string | null;
  @Column('bigint', { nullable: true }) tpm_limit!: string | null;
  @Column('bigint', { nullable: true }) rpm_limit!: string | null;
  @Column('timestamptz') created_at!: Date;
}
