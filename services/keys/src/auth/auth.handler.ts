import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { KeyAuthResolve, KeyAuthResolveRequest, ResolvedKey } from '@tollgate/contracts';
import { Rpc } from '@tollgate/messaging';
import { AuthService } from './auth.service';

@Controller()
export class AuthHandler {
  constructor(private readonly auth: AuthService) {}

  @Rpc(KeyAuthResolve)
  resolve(@Payload() req: KeyAuthResolveRequest): Promise<ResolvedKey | null> {
    return this.auth.resolve(req);
  }
}
