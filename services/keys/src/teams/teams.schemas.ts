import { z } from 'zod';
import { TEAM_MEMBER_ROLES } from '@tollgate/contracts';
import { durationText, id, jsonObject, limit, money, perModelLimits, stringList, text } from '../common/validation';

export const MemberSchema = z
  .object({ user_id: id.nullable().optional(), user_email: z.string().min(3).max(320).nullable().optional(), role: z.enum(TEAM_MEMBER_ROLES) })
  .superRefine((v, ctx) => {
    if (!v.user_id && !v.user_email) ctx.addIssue({ code: 'custom', path: ['user_id'], message: 'Either user_id or user_email is required for a team member' });
  });
export type MemberInput = z.infer<typeof MemberSchema>;

/** Team fields LiteLLM keeps in metadata. */
export const TEAM_METADATA_FIELDS = ['guardrails', 'tags', 'model_rpm_limit', 'model_tpm_limit'] as const;

const teamFields = {
  team_alias: text(256).nullable().optional(),
  organization_id: id.nullable().optional(),
  team_member_permissions: stringList.nullable().optional(),
  metadata: jsonObject('metadata').nullable().optional(),
  tpm_limit: limit.nullable().optional(),
  rpm_limit: limit.nullable().optional(),
  max_parallel_requests: limit.nullable().optional(),
  max_budget: money('max_budget').nullable().optional(),
  budget_duration: durationText.nullable().optional(),
  models: stringList.nullable().optional(),
  blocked: z.boolean().optional(),
  model_aliases: z.record(z.string().max(256), z.string().max(256)).nullable().optional(),
  guardrails: stringList.nullable().optional(),
  tags: stringList.nullable().optional(),
  model_rpm_limit: perModelLimits.nullable().optional(),
  model_tpm_limit: perModelLimits.nullable().optional(),
  spend: z.number().optional(),
};

export const NewTeamSchema = z.object({
  ...teamFields,
  team_id: id.optional(),
  members_with_roles: z.array(MemberSchema).max(1000).nullable().optional(),
});
export type NewTeamInput = z.infer<typeof NewTeamSchema>;

export const UpdateTeamSchema = z.object({ ...teamFields, team_id: id });
export type UpdateTeamInput = z.infer<typeof UpdateTeamSchema>;

export const TeamRefSchema = z.object({ team_id: id });
export const DeleteTeamsSchema = z.object({ team_ids: z.array(id).min(1).max(1000) });
export const TeamListSchema = z.object({ user_id: id.optional(), organization_id: id.optional() });

export const MemberAddSchema = z.object({
  team_id: id,
  member: z.union([MemberSchema, z.array(MemberSchema).min(1).max(100)]),
  max_budget_in_team: money('max_budget_in_team').nullable().optional(),
});

const memberRef = {
  team_id: id,
  user_id: id.nullable().optional(),
  user_email: z.string().min(3).max(320).nullable().optional(),
};
const needsUser = (v: { user_id?: string | null; user_email?: string | null }, ctx: z.RefinementCtx): void => {
  if (!v.user_id && !v.user_email) ctx.addIssue({ code: 'custom', path: ['user_id'], message: 'Either user_id or user_email is required' });
};

export const MemberDeleteSchema = z.object(memberRef).superRefine(needsUser);

export const MemberUpdateSchema = z
  .object({
    ...memberRef,
    role: z.enum(TEAM_MEMBER_ROLES).optional(),
    max_budget_in_team: money('max_budget_in_team').nullable().optional(),
    tpm_limit: limit.nullable().optional(),
    rpm_limit: limit.nullable().optional(),
  })
  .superRefine(needsUser);
