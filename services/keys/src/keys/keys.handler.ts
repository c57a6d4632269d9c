import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  GenerateKeyResponse, KeyBlock, KeyDelete, KeyDeleteResponse, KeyGenerate, KeyInfo, KeyInfoResponse, KeyList, KeyListResponse,
  KeyRegenerate, KeyRow, KeyUnblock, KeyUpdate, KeyUpdateResponse, ManagementRequest,
} from '@tollgate/contracts';
import { Rpc } from '@tollgate/messaging';
import { KeysReadService } from './keys-read.service';
import { KeysService } from './keys.service';

/** /key/* forwarded by the gateway. */
@Controller()
export class KeysHandler {
  constructor(private readonly keys: KeysService, private readonly read: KeysReadService) {}

  @Rpc(KeyGenerate)
  generate(@Payload() r: ManagementRequest): Promise<GenerateKeyResponse> {
    return this.keys.generate(r);
  }

  @Rpc(KeyUpdate)
  update(@Payload() r: ManagementRequest): Promise<KeyUpdateResponse> {
    return this.keys.update(r);
  }

  @Rpc(KeyInfo)
  info(@Payload() r: ManagementRequest): Promise<KeyInfoResponse> {
    return this.read.info(r);
  }

  @Rpc(KeyDelete)
  delete(@Payload() r: ManagementRequest): Promise<KeyDeleteResponse> {
    return this.keys.delete(r);
  }

  @Rpc(KeyList)
  list(@Payload() r: ManagementRequest): Promise<KeyListResponse> {
    return this.read.list(r);
  }

  @Rpc(KeyBlock)
  block(@Payload() r: ManagementRequest): Promise<KeyRow> {
    return this.keys.setBlocked(r, true);
  }

  @Rpc(KeyUnblock)
  unblock(@Payload() r: ManagementRequest): Promise<KeyRow> {
    return this.keys.setBlocked(r, false);
  }

  @Rpc(KeyRegenerate)
  regenerate(@Payload() r: ManagementRequest): Promise<GenerateKeyResponse> {
    return this.keys.regenerate(r);
  }
}
