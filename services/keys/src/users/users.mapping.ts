import type { UserRow } from '@tollgate/contracts';
import { asRecord, asStringList, iso, isoNow, num, num0 } from '../common/rows';
import { UserEntity } from './user.entity';

export function toUserRow(e: UserEntity, teams: string[]): UserRow {
  return {
    user_id: e.user_id,
    user_email: e.user_email,
    user_alias: e.user_alias,
    user_role: e.user_role,
    spend: num0(e.spend),
    max_budget: num(e.max_budget),
    models: asStringList(e.models),
    tpm_limit: num(e.tpm_limit),
    rpm_limit: num(e.rpm_limit),
    max_parallel_requests: e.max_parallel_requests,
    budget_duration: e.budget_duration,
    budget_reset_at: iso(e.budget_reset_at),
    metadata: asRecord(e.metadata),
    teams,
    created_at: isoNow(e.created_at),
    updated_at: isoNow(e.updated_at),
  };
}
