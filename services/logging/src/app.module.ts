import { DynamicModule, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Logger } from '@tollgate/config';
import { NamespacedNatsServer } from '@tollgate/messaging';
import { CallbacksService } from './callbacks/callbacks.service';
import { HealthHandler } from './health/health.handler';
import { HealthService } from './health/health.service';
import { LOGGER, LOGGING_OPTIONS, ResolvedLoggingOptions } from './logging.options';
import { MaintenanceQueue } from './maintenance/maintenance.queue';
import { MaintenanceRepository } from './maintenance/maintenance.repository';
import { SpendLogMaintenanceService } from './maintenance/spend-log-maintenance.service';
import { LoggingMetrics } from './metrics/logging-metrics';
import { SpendReportHandler } from './reports/spend-report.handler';
import { SpendReportService } from './reports/spend-report.service';
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
      controllers: [SpendLogsHandler, SpendReportHandler, HealthHandler],
      providers: [
        { provide: LOGGING_OPTIONS, useValue: deps.options },
        { provide: LOGGER, useValue: deps.logger },
        { provide: DataSource, useValue: deps.dataSource },
        { provide: NamespacedNatsServer, useValue: deps.server },
        { provide: LoggingMetrics, useValue: new LoggingMetrics() },
        SpendLogsRepository,
        CallbacksService,
        SpendLogsService,
        SpendLogsEvents,
        SpendReportService,
        MaintenanceRepository,
        SpendLogMaintenanceService,
        MaintenanceQueue,
        HealthService,
      ],
    };
  }
}
