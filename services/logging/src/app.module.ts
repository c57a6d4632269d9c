import { DynamicModule, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Logger } from '@tollgate/config';
import { NamespacedNatsServer } from '@tollgate/messaging';
import { HealthHandler } from './health/health.handler';
import { HealthService } from './health/health.service';
import { LOGGER, LOGGING_OPTIONS, ResolvedLoggingOptions } from './logging.options';
import { SpendLogsEvents } from './spend-logs/spend-logs.events';
import { SpendLogsHandler } from './spend-logs/spend-logs.handler';
import { SpendLogsRepository } from './spend-logs/spend-logs.repository';
import { SpendLogsService } from './spend-logs/spend-logs.service';

export interface AppModuleDeps {
  options: ResolvedLoggingOptions;
  /** initialized and migrated before Nest starts, so no provider ever sees a half-ready database */
  dataSource: DataSource;
  logger: Logger;
  /** the NATS transport; its connection is shared with the JetStream consumer */
  server: NamespacedNatsServer;
}

@Module({})
export class AppModule {
  static forRoot(deps: AppModuleDeps): DynamicModule {
    return {
      module: AppModule,
      controllers: [SpendLogsHandler, HealthHandler],
      providers: [
        { provide: LOGGING_OPTIONS, useValue: deps.options },
        { provide: LOGGER, useValue: deps.logger },
        { provide: DataSource, useValue: deps.dataSource },
        { provide: NamespacedNatsServer, useValue: deps.server },
        SpendLogsRepository,
        SpendLogsService,
        SpendLogsEvents,
        HealthService,
      ],
    };
  }
}
