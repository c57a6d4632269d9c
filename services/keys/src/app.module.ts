import { DynamicModule, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Logger } from '@tollgate/config';
import { NamespacedNatsServer } from '@tollgate/messaging';
import { AccessRepository } from './access/access.repository';
import { AccessService } from './access/access.service';
import { AuthHandler } from './auth/auth.handler';
import { AuthRepository } from './auth/auth.repository';
import { AuthService } from './auth/auth.service';
import { BudgetUsageHandler } from './budgets/budget-usage.handler';
import { ChangesPublisher } from './changes/changes.publisher';
import { Tables } from './common/sql';
import { HealthHandler } from './health/health.handler';
import { HealthService } from './health/health.service';
import { KEYS_OPTIONS, LOGGER, ResolvedKeysOptions } from './keys.options';
import { KeysReadService } from './keys/keys-read.service';
import { KeysHandler } from './keys/keys.handler';
import { KeysRepository } from './keys/keys.repository';
import { KeysService } from './keys/keys.service';
import { ModelsHandler } from './models/models.handler';
import { ModelsRepository } from './models/models.repository';
import { ModelsService } from './models/models.service';
import { MembersService } from './teams/members.service';
import { TeamsHandler } from './teams/teams.handler';
import { TeamsRepository } from './teams/teams.repository';
import { TeamsService } from './teams/teams.service';
import { UsersHandler } from './users/users.handler';
import { UsersRepository } from './users/users.repository';
import { UsersService } from './users/users.service';

export interface AppModuleDeps {
  options: ResolvedKeysOptions;
  /** initialized and migrated before Nest starts */
  dataSource: DataSource;
  logger: Logger;
  /** the NATS transport; its connection also carries keys.changed */
  server: NamespacedNatsServer;
}

@Module({})
export class AppModule {
  static forRoot(deps: AppModuleDeps): DynamicModule {
    return {
      module: AppModule,
      controllers: [AuthHandler, KeysHandler, UsersHandler, TeamsHandler, ModelsHandler, HealthHandler, BudgetUsageHandler],
      providers: [
        { provide: KEYS_OPTIONS, useValue: deps.options },
        { provide: LOGGER, useValue: deps.logger },
        { provide: DataSource, useValue: deps.dataSource },
        { provide: NamespacedNatsServer, useValue: deps.server },
        Tables,
        AccessRepository, AccessService, ChangesPublisher,
        AuthRepository, AuthService,
        KeysRepository, KeysService, KeysReadService,
        UsersRepository, UsersService,
        TeamsRepository, TeamsService, MembersService,
        ModelsRepository, ModelsService,
        HealthService,
      ],
    };
  }
}
