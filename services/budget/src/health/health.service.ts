import { Inject, Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { HealthReply } from '@tollgate/contracts';
import { REDIS } from '../budget.options';
import { NatsLink } from '../common/nats-link';
import { TiersRepository } from '../tiers/tiers.repository';

const TIMEOUT_MS = 2000;

@Injectable()
export class HealthService {
  constructor(private readonly nats: NatsLink, private readonly tiers: TiersRepository, @Inject(REDIS) private readonly redis: Redis) {}

  /** Ready when NATS is connected and Postgres and Redis answer. */
  async check(): Promise<HealthReply> {
    const [postgres, redis] = await Promise.all([this.tiers.ping(TIMEOUT_MS), this.pingRedis()]);
    const nats = this.nats.connected;
    return { service: 'budget', ready: nats && postgres && redis, checks: { nats, postgres, redis } };
  }

  private async pingRedis(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([this.redis.ping(), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), TIMEOUT_MS)))]);
      return true;
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }
}
