import { Column, Entity, PrimaryColumn } from 'typeorm';

/** `<schema>.team_models`: a deployment a team added with `/model/new` (LiteLLM_ProxyModelTable). */
@Entity({ name: 'team_models' })
export class TeamModelEntity {
  @PrimaryColumn('text') model_id!: string;
  /** internal unique name `model_name_<team_id>_<uuid>` */
  @Column('text') model_name!: string;
  @Column('text') team_id!: string;
  @Column('text') public_model_name!: string;
  @Column('jsonb') litellm_params!: Record<string, unknown>;
  @Column('jsonb') model_info!: Record<string, unknown>;
  @Column('timestamptz') created_at!: Date;
  @Column('text', { nullable: true }) created_by!: string | null;
  @Column('timestamptz') updated_at!: Date;
  @Column('text', { nullable: true }) updated_by!: string | null;
}
