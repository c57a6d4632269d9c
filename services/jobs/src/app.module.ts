import { DynamicModule, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Logger } from '@tollgate/config';
import { NamespacedNatsServer } from '@tollgate/messaging';
import { PriceTable } from '@tollgate/pricing';
import { BatchCostReader } from './batches/batch-cost-reader';
import { BatchPoller } from './batches/batch-poller';
import { BatchSync } from './batches/batch-sync';
import { BatchesHandler } from './batches/batches.handler';
import { BatchesRepository } from './batches/batches.repository';
import { BatchesService } from './batches/batches.service';
import { Tables } from './common/tables';
import { FilesHandler } from './files/files.handler';
import { FilesRepository } from './files/files.repository';
import { FilesService } from './files/files.service';
import { FineTuningHandler } from './fine-tuning/fine-tuning.handler';
import { FineTuningPoller } from './fine-tuning/fine-tuning.poller';
import { FineTuningRepository } from './fine-tuning/fine-tuning.repository';
import { FineTuningService } from './fine-tuning/fine-tuning.service';
import { HealthHandler } from './health/health.handler';
import { HealthService } from './health/health.service';
import { JOBS_OPTIONS, LOGGER, ResolvedJobsOptions } from './jobs.options';
import { PollScheduler } from './pollers/poll-scheduler';
import { ProviderClient } from './providers/provider-client';
import { DeploymentResolver } from './routing/deployment-resolver';
import { UploadService } from './upload/upload.service';
import { UsagePublisher } from './usage/usage-publisher';

export interface AppModuleDeps {
  options: ResolvedJobsOptions;
  /** initialized and migrated before Nest starts */
  dataSource: DataSource;
  logger: Logger;
  server: NamespacedNatsServer;
  resolver: DeploymentResolver;
  provider: ProviderClient;
  scheduler: PollScheduler;
  prices: PriceTable;
}

@Module({})
export class AppModule {
  static forRoot(deps: AppModuleDeps): DynamicModule {
    return {
      module: AppModule,
      controllers: [FilesHandler, BatchesHandler, FineTuningHandler, HealthHandler],
      providers: [
        { provide: JOBS_OPTIONS, useValue: deps.options },
        { provide: LOGGER, useValue: deps.logger },
        { provide: DataSource, useValue: deps.dataSource },
        { provide: NamespacedNatsServer, useValue: deps.server },
        { provide: DeploymentResolver, useValue: deps.resolver },
        { provide: ProviderClient, useValue: deps.provider },
        { provide: PollScheduler, useValue: deps.scheduler },
        { provide: PriceTable, useValue: deps.prices },
        Tables, UsagePublisher,
        FilesRepository, FilesService, UploadService,
        BatchesRepository, BatchSync, BatchCostReader, BatchPoller, BatchesService,
        FineTuningRepository, FineTuningPoller, FineTuningService,
        HealthService,
      ],
    };
  }
}
