import { Controller, Get, Headers, Inject, Param } from '@nestjs/common';
import { ErrorCode, TollgateError } from '@tollgate/contracts';
import { GATEWAY_RUNTIME, GatewayRuntime } from '../runtime';
import type { HeaderBag } from '../auth/auth.service';

/** LiteLLM answers every model with this `created` value */
const CREATED = 1677610602;

function modelObject(id: string) {
  return { id, object: 'model', created: CREATED, owned_by: 'openai' };
}

@Controller()
export class ModelsController {
  constructor(@Inject(GATEWAY_RUNTIME) private readonly rt: GatewayRuntime) {}

  @Get(['v1/models', 'models'])
  list(@Headers() headers: HeaderBag) {
    this.rt.auth.authenticate(headers);
    return { data: this.rt.router.modelNames().map(modelObject), object: 'list' };
  }

  @Get(['v1/models/:id', 'models/:id'])
  one(@Headers() headers: HeaderBag, @Param('id') id: string) {
    this.rt.auth.authenticate(headers);
    if (!this.rt.router.has(id)) {
      throw new TollgateError(ErrorCode.NotFound, `The model '${id}' does not exist or you do not have access to it.`, { status: 404, param: 'model' });
    }
    return modelObject(id);
  }
}
