import { Controller, Get, Headers, Inject, Param } from '@nestjs/common';
import { ErrorCode, TollgateError } from '@tollgate/contracts';
import { GATEWAY_RUNTIME, GatewayRuntime } from '../runtime';
import type { HeaderBag } from '../auth/auth.service';
import { visibleModels } from '../auth/model-access';

/** LiteLLM answers every model with this `created` value */
const CREATED = 1677610602;

function modelObject(id: string) {
  return { id, object: 'model', created: CREATED, owned_by: 'openai' };
}

@Controller()
export class ModelsController {
  constructor(@Inject(GATEWAY_RUNTIME) private readonly rt: GatewayRuntime) {}

  /** only the models the calling key may use (key models, else team models, else all) */
  @Get(['v1/models', 'models'])
  async list(@Headers() headers: HeaderBag) {
    return { data: (await this.visible(headers)).map(modelObject), object: 'list' };
  }

  @Get(['v1/models/:id', 'models/:id'])
  async one(@Headers() headers: HeaderBag, @Param('id') id: string) {
    if (!(await this.visible(headers)).includes(id)) {
      throw new TollgateError(ErrorCode.NotFound, `The model '${id}' does not exist or you do not have access to it.`, { status: 404, param: 'model' });
    }
    return modelObject(id);
  }

  private async visible(headers: HeaderBag): Promise<string[]> {
    const auth = await this.rt.auth.authenticate(headers);
    const key = auth.key;
    return visibleModels(key, this.rt.router.modelNames(), (m) => this.rt.deployments.litellmModelsOf(m, key));
  }
}
