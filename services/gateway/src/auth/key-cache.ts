import { KeyAuthResolve, KeysChangedPayload, ResolvedKey } from '@tollgate/contracts';
import { Bus } from '@tollgate/messaging/client';

interface Entry {
  key: ResolvedKey | null;
  expiresAt: number;
}

export interface KeyCacheOptions {
  /** how long a resolved key is trusted without asking again */
  ttlMs: number;
  /** how long "no such key" is remembered (short: a key created a moment later must work) */
  negativeTtlMs: number;
  maxEntries: number;
}

export const DEFAULT_KEY_CACHE: KeyCacheOptions = { ttlMs: 60_000, negativeTtlMs: 2_000, maxEntries: 100_000 };

/**
 * The gateway's view of virtual keys: sha256 → resolved key, filled by one `keys.auth.resolve`
 * request on a miss (concurrent misses for one key share that request), dropped on `keys.changed`
 * and after a TTL. While the keys service is unreachable, cached keys keep working until their TTL.
 */
export class KeyCache {
  private readonly entries = new Map<string, Entry>();
  private readonly inflight = new Map<string, Promise<ResolvedKey | null>>();

  constructor(private readonly bus: Bus, private readonly opts: KeyCacheOptions = DEFAULT_KEY_CACHE, private readonly now: () => number = Date.now) {}

  /** Cached answer when fresh, else undefined (the caller then awaits `resolve`). */
  peek(hash: string): ResolvedKey | null | undefined {
    const e = this.entries.get(hash);
    if (!e) return undefined;
    if (e.expiresAt <= this.now()) {
      this.entries.delete(hash);
      return undefined;
    }
    return e.key;
  }

  resolve(hash: string): Promise<ResolvedKey | null> {
    const running = this.inflight.get(hash);
    if (running) return running;
    const p = this.bus.request(KeyAuthResolve, { keyHash: hash }, { timeoutMs: 3000 }).then(
      (key) => {
        this.inflight.delete(hash);
        this.store(hash, key);
        return key;
      },
      (e: unknown) => {
        this.inflight.delete(hash);
        throw e;
      },
    );
    this.inflight.set(hash, p);
    return p;
  }

  private store(hash: string, key: ResolvedKey | null): void {
    if (this.entries.size >= this.opts.maxEntries) {
      // Map iterates in insertion order: drop the oldest tenth
      let n = Math.ceil(this.opts.maxEntries / 10);
      for (const k of this.entries.keys()) {
        this.entries.delete(k);
        if (--n === 0) break;
      }
    }
    this.entries.set(hash, { key, expiresAt: this.now() + (key ? this.opts.ttlMs : this.opts.negativeTtlMs) });
  }

  /** `keys.changed`: drop what it names (a key, everything of a team or a user, or all). */
  invalidate(change: KeysChangedPayload): void {
    if (change.all) {
      this.entries.clear();
      return;
    }
    for (const h of change.keyHashes ?? []) this.entries.delete(h);
    const teams = new Set(change.teamIds ?? []);
    const users = new Set(change.userIds ?? []);
    if (teams.size === 0 && users.size === 0) return;
    for (const [h, e] of this.entries) {
      if (e.key && ((e.key.team_id && teams.has(e.key.team_id)) || (e.key.user_id && users.has(e.key.user_id)))) this.entries.delete(h);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
