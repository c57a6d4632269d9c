import { Injectable } from '@nestjs/common';
import type { KeyInfoResponse, KeyListResponse, ManagementRequest } from '@tollgate/contracts';
import { canReadKey, canViewAll, isTeamAdmin, isTeamMember, requireUser } from '../access/access.policy';
import { AccessService } from '../access/access.service';
import { badRequest, forbidden, notFound } from '../common/errors';
import { toKeyHash } from '../common/key-material';
import { parseInput } from '../common/validation';
import { toKeyRow } from './keys.mapping';
import { KeyListFilter, KeysRepository } from './keys.repository';
import { ListKeysSchema } from './keys.schemas';

/** /key/info and /key/list. */
@Injectable()
export class KeysReadService {
  constructor(private readonly access: AccessService, private readonly keys: KeysRepository) {}

  async info(req: ManagementRequest): Promise<KeyInfoResponse> {
    const caller = await this.access.caller(req.caller);
    const passed = req.query?.key;
    const token = passed ? toKeyHash(passed) : caller.keyHash;
    if (!token) throw badRequest('No key passed in. Pass ?key=<virtual key or its hash>.', 'key');
    const entity = await this.keys.find(this.keys.manager, token);
    if (!entity) throw notFound('Key not found in database', 'key');
    if (!canReadKey(caller, entity)) throw forbidden(`You are not allowed to access this key's info. Your role=${caller.role ?? 'none'}`);
    const { token: _hash, ...info } = toKeyRow(entity);
    return { key: passed ?? token, info };
  }

  async list(req: ManagementRequest): Promise<KeyListResponse> {
    const caller = await this.access.caller(req.caller);
    requireUser(caller, '/key/list');
    const q = parseInput(ListKeysSchema, req.query ?? {});
    const page = q.page ?? 1;
    const size = q.size ?? 10;
    const filter: KeyListFilter = {
      userId: q.user_id,
      teamId: q.team_id,
      organizationId: q.organization_id,
      token: q.key_hash !== undefined ? toKeyHash(q.key_hash, 'key_hash') : undefined,
      keyAlias: q.key_alias,
      sortBy: q.sort_by ?? 'created_at',
      sortOrder: q.sort_order === 'asc' ? 'ASC' : 'DESC',
      limit: size,
      offset: (page - 1) * size,
    };
    if (!canViewAll(caller)) {
      const adminTeams = [...caller.teams].filter(([, role]) => role === 'admin').map(([id]) => id);
      if (q.team_id !== undefined && !isTeamMember(caller, q.team_id)) throw forbidden(`You are not authorized to check keys of team=${q.team_id}`);
      const teamAdminView = q.team_id !== undefined && isTeamAdmin(caller, q.team_id);
      if (q.user_id !== undefined && q.user_id !== caller.userId && !teamAdminView) {
        throw forbidden("You are not authorized to check another user's keys");
      }
      if (q.user_id === undefined && !teamAdminView && !q.include_team_keys) filter.userId = caller.userId ?? undefined;
      filter.visibleTo = { userId: caller.userId, teamIds: teamAdminView || q.include_team_keys ? adminTeams : [] };
    }
    const { rows, total } = await this.keys.list(filter);
    return {
      keys: q.return_full_object ? rows.map(toKeyRow) : rows.map((r) => r.token),
      total_count: total,
      current_page: page,
      total_pages: Math.ceil(total / size),
    };
  }
}
