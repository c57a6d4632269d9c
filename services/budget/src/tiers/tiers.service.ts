import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { BudgetRow, BudgetSettingsField, KeysBudgetUsage, ManagementRequest } from '@tollgate/contracts';
import { nextResetAt, parseDuration } from '@tollgate/limits';
import { AccessService } from '../access/access.service';
import { badRequest, notFound, unavailable } from '../common/errors';
import { NatsLink } from '../common/nats-link';
import { RedisProjection } from '../projection/redis-projection';
import { parseTierInput, SETTINGS_FIELDS, TierInput } from './tiers.schemas';
import { TierColumns, TiersRepository } from './tiers.repository';

function resetAtFor(duration: string | null | undefined, now: Date): Date | null {
  const d = parseDuration(duration);
  return d ? nextResetAt(d, now) : null;
}

function columns(input: TierInput): TierColumns {
  const { budget_id: _id, ...rest } = input;
  return rest;
}

/**
 * /budget/* rules. Postgres is the record; after each commit the tier is written to Redis, where
 * the gateway's admission script reads it on the next request (no cache to expire). A failed
 * Redis write is repaired by the projection's periodic tier sync.
 */
@Injectable()
export class TiersService {
  constructor(
    private readonly repo: TiersRepository,
    private readonly access: AccessService,
    private readonly projection: RedisProjection,
    private readonly nats: NatsLink,
  ) {}

  async create(r: ManagementRequest): Promise<BudgetRow> {
    const caller = await this.access.writer(r.caller);
    const input = parseTierInput(r.body ?? {});
    const id = input.budget_id ?? randomUUID();
    const c: TierColumns = { ...columns(input), budget_id: id, created_by: caller.userId, updated_by: caller.userId };
    if (input.budget_reset_at === undefined && input.budget_duration) c.budget_reset_at = resetAtFor(input.budget_duration, new Date());
    const row = await this.repo.transaction((m) => this.repo.insert(m, c));
    if (!row) throw badRequest(`Budget with id '${id}' already exists.`, 'budget_id');
    await this.projection.writeTier(row);
    return row;
  }

  async update(r: ManagementRequest): Promise<BudgetRow> {
    const caller = await this.access.writer(r.caller);
    const input = parseTierInput(r.body ?? {});
    if (!input.budget_id) throw badRequest('budget_id is required', 'budget_id');
    const id = input.budget_id;
    const row = await this.repo.transaction(async (m) => {
      const current = await this.repo.lock(m, id);
      if (!current) return null;
      const c: TierColumns = { ...columns(input), updated_by: caller.userId };
      // a new duration starts a new schedule (LiteLLM keeps the old budget_reset_at; that never resets on the new period)
      if (input.budget_reset_at === undefined && input.budget_duration !== undefined && input.budget_duration !== current.budget_duration) {
        c.budget_reset_at = resetAtFor(input.budget_duration, new Date());
      }
      return this.repo.update(m, id, c);
    });
    if (!row) throw notFound(`Budget with id '${id}' does not exist.`, 'budget_id');
    await this.projection.writeTier(row);
    return row;
  }

  async info(r: ManagementRequest): Promise<BudgetRow[]> {
    await this.access.reader(r.caller);
    const ids = requestedIds(r);
    if (ids.length === 0) throw badRequest(`Specify list of budget id's to query. Passed in=[]`, 'budgets');
    return this.repo.find(ids);
  }

  async list(r: ManagementRequest): Promise<BudgetRow[]> {
    await this.access.reader(r.caller);
    return this.repo.all();
  }

  async delete(r: ManagementRequest): Promise<BudgetRow> {
    await this.access.writer(r.caller);
    const body = r.body ?? {};
    const id = typeof body.id === 'string' ? body.id : typeof body.budget_id === 'string' ? body.budget_id : null;
    if (!id) throw badRequest('id is required: POST /budget/delete {"id": "<budget_id>"}', 'id');
    let inUse: number;
    try {
      inUse = (await this.nats.requests.request(KeysBudgetUsage, { budget_id: id })).count;
    } catch {
      throw unavailable(`Cannot delete budget '${id}': the keys service did not answer whether keys still use it. Try again.`);
    }
    if (inUse > 0) {
      throw badRequest(
        `Budget '${id}' is in use by ${inUse} key(s). Move those keys to another budget (POST /key/update {"key": ..., "budget_id": ...}) before deleting it.`,
        'id',
      );
    }
    const row = await this.repo.transaction((m) => this.repo.delete(m, id));
    if (!row) throw notFound(`Budget with id '${id}' does not exist.`, 'id');
    await this.projection.deleteTier(id);
    return row;
  }

  async settings(r: ManagementRequest): Promise<BudgetSettingsField[]> {
    await this.access.reader(r.caller);
    const id = r.query?.budget_id ?? (typeof r.body?.budget_id === 'string' ? r.body.budget_id : undefined);
    if (!id) throw badRequest('budget_id is required', 'budget_id');
    const [row] = await this.repo.find([id]);
    if (!row) throw notFound(`Budget with id '${id}' does not exist.`, 'budget_id');
    return SETTINGS_FIELDS.map((f) => ({
      ...f,
      field_value: row[f.field_name],
      stored_in_db: true,
      field_default_value: null,
      premium_field: false,
      nested_fields: null,
    }));
  }
}

/** POST body `{budgets: [...]}` (LiteLLM), or GET `?budget_id=x` / `?budgets=a,b`. */
function requestedIds(r: ManagementRequest): string[] {
  const fromBody = Array.isArray(r.body?.budgets) ? (r.body.budgets as unknown[]).filter((x): x is string => typeof x === 'string') : [];
  const q = r.query ?? {};
  const fromQuery = [q.budget_id, ...(q.budgets ?? '').split(',')].filter((x): x is string => typeof x === 'string' && x.trim() !== '');
  return [...new Set([...fromBody, ...fromQuery.map((x) => x.trim())])];
}
