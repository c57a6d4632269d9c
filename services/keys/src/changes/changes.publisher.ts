import { Inject, Injectable } from '@nestjs/common';
import { KeysChanged, KeysChangedPayload } from '@tollgate/contracts';
import type { Logger } from '@tollgate/config';
import { NamespacedNatsServer, publishBroadcast } from '@tollgate/messaging';
import { KEYS_OPTIONS, LOGGER, ResolvedKeysOptions } from '../keys.options';

/**
 * Tells every gateway replica which cached auth entries are stale. Called only after the write
 * has committed, so a replica that re-resolves at once sees the new state. A lost broadcast
 * costs at most the gateway's cache TTL.
 */
@Injectable()
export class ChangesPublisher {
  constructor(
    private readonly server: NamespacedNatsServer,
    @Inject(KEYS_OPTIONS) private readonly opts: ResolvedKeysOptions,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  publish(change: KeysChangedPayload): void {
    const payload: KeysChangedPayload = {};
    if (change.all) payload.all = true;
    for (const f of ['keyHashes', 'teamIds', 'userIds'] as const) {
      const list = [...new Set((change[f] ?? []).filter((x) => typeof x === 'string' && x.length > 0))];
      if (list.length > 0) payload[f] = list;
    }
    if (Object.keys(payload).length === 0) return;
    const nc = this.server.connection;
    if (!nc || nc.isClosed()) {
      this.logger.warn({ change: payload }, 'keys.changed not published: NATS connection closed');
      return;
    }
    try {
      publishBroadcast(nc, this.opts.namespace, KeysChanged, payload);
    } catch (e) {
      this.logger.warn({ err: e }, 'keys.changed publish failed');
    }
  }
}
