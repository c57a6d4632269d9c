import { DynamicModule, Module } from '@nestjs/common';
import { GuardrailsController } from './guardrails/guardrails.controller';
import { HealthController } from './health/health.controller';
import { ModelsController } from './models/models.controller';
import { MetricsController } from './observability/metrics.controller';
import { GATEWAY_RUNTIME, GatewayRuntime } from './runtime';
import { SpendController } from './spend/spend.controller';

@Module({})
export class AppModule {
  static withRuntime(runtime: GatewayRuntime): DynamicModule {
    return {
      module: AppModule,
      controllers: [ModelsController, HealthController, SpendController, GuardrailsController, MetricsController],
      providers: [{ provide: GATEWAY_RUNTIME, useValue: runtime }],
    };
  }
}
