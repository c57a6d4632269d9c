import { assertNamespace, nsKey } from '@tollgate/contracts';

/**
 * The Redis key layout of admission. Every key of one namespace carries the hash tag `{<ns>}`, so
 * the admission script (which reads a request's key, user, team, member, tier and key+model state
 * in one atomic call) only ever touches one Redis Cluster slot. See README.md for why this, and
 * not one script per entity.
 *
 *   {ns}:lim:tier:<budget_id>          hash   tier definition (written by the budget service)
 *   {ns}:lim:spend:<entity>            hash   s = spend in pico-dollars (integer string), v = version
 *   {ns}:lim:win:<descriptor>          hash   ws = window start (ms), req, tok; expires with the window
 *   {ns}:lim:par:<descriptor>          zset   in-flight call ids scored by lease expiry (ms)
 *   {ns}:lim:epoch                     string present while the spend projection is complete
 *
 * <entity>     key:<hash> | user:<id> | team:<id> | member:<team>:<user> | keymodel:<hash>:<model> | tier:<id>
 * <descriptor> api_key:<hash> | user:<id> | team:<id> | team_member:<team>:<user> | model_per_key:<hash>:<model>
 * Ids are URI-encoded so a `:` inside an id or a model name cannot make two entities collide.
 */
export type EntityType = 'key' | 'user' | 'team' | 'member' | 'keymodel' | 'tier';
export const ENTITY_TYPES: readonly EntityType[] = ['key', 'user', 'team', 'member', 'keymodel', 'tier'];

/** LiteLLM v3 limiter's descriptor names (they appear in 429 messages and rate-limit headers). */
export type DescriptorKind = 'api_key' | 'user' | 'team' | 'team_member' | 'model_per_key';

export interface EntityRef {
  type: EntityType;
  /** the raw id: `<hash>`, `<team>:<user>` for members, `<hash>:<model>` for key+model */
  id: string;
}

const enc = (part: string): string => encodeURIComponent(part);

/** Entity id of a team membership and of a key+model pair (the raw id form of EntityRef). */
export function memberId(teamId: string, userId: string): string {
  return `${enc(teamId)}:${enc(userId)}`;
}
export function keyModelId(keyHash: string, model: string): string {
  return `${enc(keyHash)}:${enc(model)}`;
}

export class LimitsLayout {
  /** `{ns}:lim` */
  readonly prefix: string;

  constructor(readonly namespace: string) {
    this.prefix = nsKey(`{${assertNamespace(namespace)}}`, 'lim');
  }

  /** every key of this namespace's admission state matches this (for SCAN) */
  get pattern(): string {
    return `${this.prefix}:*`;
  }

  tier(budgetId: string): string {
    return `${this.prefix}:tier:${enc(budgetId)}`;
  }

  /** a key no tier can have: the script reads it when the key has no budget_id */
  get noTier(): string {
    return `${this.prefix}:tier`;
  }

  /** Ids of `member` and `keymodel` entities are already encoded by memberId / keyModelId. */
  spend(ref: EntityRef): string {
    const id = ref.type === 'member' || ref.type === 'keymodel' ? ref.id : enc(ref.id);
    return `${this.prefix}:spend:${ref.type}:${id}`;
  }

  window(kind: DescriptorKind, value: string): string {
    return `${this.prefix}:win:${kind}:${enc(value)}`;
  }

  parallel(kind: DescriptorKind, value: string): string {
    return `${this.prefix}:par:${kind}:${enc(value)}`;
  }

  get epoch(): string {
    return `${this.prefix}:epoch`;
  }
}

/** Field names of a tier hash; per-model fields are `m:<model>:<field>` with the model URI-encoded. */
export const TierField = {
  maxBudget: 'max',
  softBudget: 'soft',
  rpm: 'rpm',
  tpm: 'tpm',
  parallel: 'par',
  duration: 'dur',
  model: (model: string, field: 'budget' | 'rpm' | 'tpm' | 'dur'): string => `m:${enc(model)}:${field}`,
} as const;
