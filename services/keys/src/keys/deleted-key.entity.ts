import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** `<schema>.deleted_keys`: the audit trail of deleted (and regenerated) keys, whole row kept as JSON. */
@Entity({ name: 'deleted_keys' })
export class DeletedKeyEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id!: string;
  @Column('text') token!: string;
  @Column('text', { nullable: true }) key_alias!: string | null;
  @Column('text', { nullable: true }) user_id!: string | null;
  @Column('text', { nullable: true }) team_id!: string | null;
  @Column('jsonb') row!: Record<string, unknown>;
  /** deleted | regenerated | user_deleted | team_deleted */
  @Column('text') reason!: string;
  @Column('timestamptz') deleted_at!: Date;
  @Column('text', { nullable: true }) deleted_by!: string | null;
  /** hash of the key that made the call (null for the master key) */
  @Column('text', { nullable: true }) deleted_by_api_key!: string | null;
}
