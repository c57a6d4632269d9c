import { DynamicModule, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import Redis from 'ioredis';
import type { Logger } from '@tollgate/config';
import { LimitsStore } from '@tollgate/limits';
import { NamespacedNatsServer } from '@tollgate/messaging';
import { AccessService } from './access/access.service';
import { AlertsPublisher } from './alerts/alerts.publisher';
import { BUDGET_OPTIONS, LOGGER, REDIS, ResolvedBudgetOptions } from './budget.options';
import { NatsLink } from './common/nats-link';
import { Tables } from './common/tables';
import { HealthHandler } from './health/health.handler';
import { HealthService } from './health/health.service';
import { RedisProjection } from './projection/redis-projection';
import { ResetScheduler } from './reset/reset.scheduler';
import { ResetService } from './reset/reset.service';
import { KeyContextResolver } from './spend/key-context.resolver';
import { SpendHandler } from './spend/spend.handler';
import { SpendRepository } from './spend/spend.repository';
import { SpendService } from './spend/spend.service';
import { TiersHandler } from './tiers/tiers.handler';
import { TiersRepository } from './tiers/tiers.repository';
import { TiersService } from './tiers/tiers.service';

export interface AppModuleDeps {
  options: ResolvedBudgetOptions;
  /** initialized and migrated before Nest starts */
  dataSource: DataSource;
  logger: Logger;
  server: NamespacedNatsServer;
  redis: Redis;
}

@Module({})
export class AppModule {
  static forRoot(deps: AppModuleDeps): DynamicModule {
    return {
      module: AppModule,
      controllers: [TiersHandler, SpendHandler, HealthHandler],
      providers: [
        { provide: BUDGET_OPTIONS, useValue: deps.options },
        { provide: LOGGER, useValue: deps.logger },
        { provide: DataSource, useValue: deps.dataSource },
        { provide: NamespacedNatsServer, useValue: deps.server },
        { provide: REDIS, useValue: deps.redis },
        { provide: LimitsStore, useFactory: () => new LimitsStore(deps.redis, deps.options.namespace) },
        Tables, NatsLink, AccessService,
        TiersRepository, TiersService,
        SpendRepository, SpendService, KeyContextResolver,
        RedisProjection, AlertsPublisher,
        ResetService, ResetScheduler,
        HealthService,
      ],
    };
  }
}
