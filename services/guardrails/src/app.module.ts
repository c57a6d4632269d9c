import { DynamicModule, Module } from '@nestjs/common';
import { NamespacedNatsServer } from '@tollgate/messaging';
import { GuardrailsHandler } from './guardrails.handler';
import { HealthHandler } from './health/health.handler';
import { HealthService } from './health/health.service';
import { GuardrailRegistry } from './registry/guardrail-registry';
import { GuardrailRunner } from './run/guardrail-runner';

export interface AppModuleDeps {
  registry: GuardrailRegistry;
  runner: GuardrailRunner;
  health: HealthService;
  server: NamespacedNatsServer;
}

/** Built from objects made before Nest starts, so a bad guardrail config fails before anything listens. */
@Module({})
export class AppModule {
  static forRoot(deps: AppModuleDeps): DynamicModule {
    return {
      module: AppModule,
      controllers: [GuardrailsHandler, HealthHandler],
      providers: [
        { provide: GuardrailRegistry, useValue: deps.registry },
        { provide: GuardrailRunner, useValue: deps.runner },
        { provide: HealthService, useValue: deps.health },
        { provide: NamespacedNatsServer, useValue: deps.server },
      ],
    };
  }
}
