import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { Redis as IORedis } from 'ioredis';
import { HealthReply } from '@tollgate/contracts';
import { NamespacedNatsServer } from '@tollgate/messaging';
import { LOGGING_OPTIONS, ResolvedLoggingOptions } from '../logging.options';
import { SpendLogsEvents } from '../spend-logs/spend-logs.events';
import { SpendLogsRepository } from '../spend-logs/spend-logs.repository';

const POSTGRES_TIMEOUT_MS = 2000;
const REDIS_TIMEOUT_MS = 2000;

@Injectable()
export class HealthService implements OnModuleDestroy {
  /** its own small connection: the maintenance queue's blocks on BullMQ commands and queues offline ones */
  private redis: IORedis | null = null;

  constructor(
    private readonly server: NamespacedNatsServer,
    private readonly repo: SpendLogsRepository,
    private readonly events: SpendLogsEvents,
    @Inject(LOGGING_OPTIONS) private readonly opts: ResolvedLoggingOptions,
  ) {}

  /**
   * Ready when NATS is connected, Postgres answers, the usage consumer is running and, when the
   * maintenance queue runs (BullMQ), Redis answers.
   */
  async check(): Promise<HealthReply> {
    const nc = this.server.connection;
    const nats = nc !== null && !nc.isClosed() && !nc.isDraining();
    const [postgres, redis] = await Promise.all([this.repo.ping(POSTGRES_TIMEOUT_MS), this.opts.maintenance ? this.pingRedis() : Promise.resolve(null)]);
    const checks: Record<string, boolean> = { nats, postgres };
    if (redis !== null) checks.redis = redis;
    return { service: 'logging', ready: nats && postgres && redis !== false && this.events.running, checks };
  }

  private async pingRedis(): Promise<boolean> {
    let redis = this.redis;
    if (!redis) {
      redis = this.redis = new IORedis(this.opts.env.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: REDIS_TIMEOUT_MS });
      redis.on('error', () => undefined);
      // the first check must not fail only because the socket is still opening
      const opening = redis;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, REDIS_TIMEOUT_MS);
        opening.once('ready', () => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([redis.ping(), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), REDIS_TIMEOUT_MS)))]);
      return true;
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  onModuleDestroy(): void {
    this.redis?.disconnect();
    this.redis = null;
  }
}
