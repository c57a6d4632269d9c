import { z } from 'zod';
import { TEAM_MEMBER_ROLES, USER_ROLES } from '@tollgate/contracts';
import { durationText, id, jsonObject, limit, money, perModelLimits, queryInt, stringList, text } from '../common/validation';

const email = z.string().min(3).max(320).regex(/^[^\s@]+@[^\s@]+$/, 'must be an email address');

const userFields = {
  user_email: email.nullable().optional(),
  user_alias: text(256).nullable().optional(),
  user_role: z.enum(USER_ROLES).optional(),
  max_budget: money('max_budget').nullable().optional(),
  budget_duration: durationText.nullable().optional(),
  models: stringList.nullable().optional(),
  tpm_limit: limit.nullable().optional(),
  rpm_limit: limit.nullable().optional(),
  max_parallel_requests: limit.nullable().optional(),
  metadata: jsonObject('metadata').nullable().optional(),
  spend: z.number().optional(),
};

export const NewUserSchema = z.object({
  ...userFields,
  user_id: id.optional(),
  teams: z
    .array(z.union([id, z.object({ team_id: id, max_budget_in_team: money('max_budget_in_team').nullable().optional(), user_role: z.enum(TEAM_MEMBER_ROLES).optional() })]))
    .max(100)
    .nullable()
    .optional(),
  auto_create_key: z.boolean().optional(),
  // the first key's parameters
  duration: durationText.nullable().optional(),
  key_alias: text(256).nullable().optional(),
  aliases: jsonObject('aliases').nullable().optional(),
  config: jsonObject('config').nullable().optional(),
  permissions: jsonObject('permissions').nullable().optional(),
  guardrails: stringList.nullable().optional(),
  blocked: z.boolean().nullable().optional(),
  model_max_budget: jsonObject('model_max_budget').nullable().optional(),
  model_rpm_limit: perModelLimits.nullable().optional(),
  model_tpm_limit: perModelLimits.nullable().optional(),
});
export type NewUserInput = z.infer<typeof NewUserSchema>;

export const UpdateUserSchema = z
  .object({ ...userFields, user_id: id.optional() })
  .superRefine((v, ctx) => {
    if (v.user_id === undefined && (v.user_email === undefined || v.user_email === null)) {
      ctx.addIssue({ code: 'custom', path: ['user_id'], message: 'Either user id or user email must be provided' });
    }
  });
export type UpdateUserInput = z.infer<typeof UpdateUserSchema>;

export const DeleteUsersSchema = z.object({ user_ids: z.array(id).min(1).max(1000) });

export const UserInfoSchema = z.object({ user_id: id.optional() });

export const ListUsersSchema = z.object({
  role: z.enum(USER_ROLES).optional(),
  user_ids: z.string().max(10_000).optional(),
  user_email: text(320).optional(),
  team: id.optional(),
  page: queryInt(1, 1_000_000).optional(),
  page_size: queryInt(1, 100).optional(),
  sort_by: z.enum(['user_id', 'user_email', 'created_at', 'spend', 'user_alias', 'user_role']).optional(),
  sort_order: z.enum(['asc', 'desc']).optional(),
});
