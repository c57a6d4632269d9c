import { Inject, Injectable } from '@nestjs/common';
import type { Subscription } from 'nats';
import { KeyAuthResolve, KeysChanged, KeysChangedPayload, ResolvedKey } from '@tollgate/contracts';
import { subscribeBroadcast } from '@tollgate/messaging';
import { BUDGET_OPTIONS, ResolvedBudgetOptions } from '../budget.options';
import { NatsLink } from '../common/nats-link';

interface Entry {
  key: ResolvedKey | null;
  at: number;
}

/** Unknown: the keys service did not answer (the caller keeps schedules as they are). */
export const UNKNOWN = Symbol('unknown');

/**
 * A key's user, team, tier and budget durations, for attributing spend. Asked of the keys service
 * (`keys.auth.resolve`, the gateway's own call), cached briefly and dropped on `keys.changed`.
 */
@Injectable()
export class KeyContextResolver {
  private readonly cache = new Map<string, Entry>();
  private sub: Subscription | null = null;

  constructor(private readonly nats: NatsLink, @Inject(BUDGET_OPTIONS) private readonly opts: ResolvedBudgetOptions) {}

  start(): void {
    this.sub = subscribeBroadcast(this.nats.connection, this.opts.namespace, KeysChanged, (c) => this.invalidate(c));
  }

  stop(): void {
    this.sub?.unsubscribe();
  }

  invalidate(c: KeysChangedPayload): void {
    if (c.all) return this.cache.clear();
    const hashes = new Set(c.keyHashes ?? []);
    const teams = new Set(c.teamIds ?? []);
    const users = new Set(c.userIds ?? []);
    for (const [hash, e] of this.cache) {
      if (hashes.has(hash) || (e.key?.team_id && teams.has(e.key.team_id)) || (e.key?.user_id && users.has(e.key.user_id))) this.cache.delete(hash);
    }
  }

  async resolveMany(hashes: string[]): Promise<Map<string, ResolvedKey | null | typeof UNKNOWN>> {
    const out = new Map<string, ResolvedKey | null | typeof UNKNOWN>();
    await Promise.all([...new Set(hashes)].map(async (h) => out.set(h, await this.resolve(h))));
    return out;
  }

  private async resolve(hash: string): Promise<ResolvedKey | null | typeof UNKNOWN> {
    const hit = this.cache.get(hash);
    if (hit && Date.now() - hit.at < this.opts.keyContextTtlMs) return hit.key;
    try {
      const key = await this.nats.requests.request(KeyAuthResolve, { keyHash: hash }, { timeoutMs: 2000 });
      this.cache.set(hash, { key, at: Date.now() });
      if (this.cache.size > 50_000) this.cache.delete(this.cache.keys().next().value as string);
      return key;
    } catch {
      return UNKNOWN;
    }
  }
}
