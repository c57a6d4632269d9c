import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { GuardrailsList, GuardrailsListReply, GuardrailsRun, GuardrailsRunReply, GuardrailsRunRequest } from '@tollgate/contracts';
import { Rpc } from '@tollgate/messaging';
import { GuardrailRegistry } from './registry/guardrail-registry';
import { GuardrailRunner } from './run/guardrail-runner';

/** `guardrails.run` (the gateway, per guarded request) and `guardrails.list` (`GET /guardrails/list`). */
@Controller()
export class GuardrailsHandler {
  constructor(
    @Inject(GuardrailRunner) private readonly runner: GuardrailRunner,
    @Inject(GuardrailRegistry) private readonly registry: GuardrailRegistry,
  ) {}

  @Rpc(GuardrailsRun)
  run(@Payload() request: GuardrailsRunRequest): Promise<GuardrailsRunReply> {
    return this.runner.run(request);
  }

  @Rpc(GuardrailsList)
  list(): GuardrailsListReply {
    return this.registry.list();
  }
}
