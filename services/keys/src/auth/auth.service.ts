import { Injectable } from '@nestjs/common';
import type { KeyAuthResolveRequest, ResolvedKey } from '@tollgate/contracts';
import { badRequest } from '../common/errors';
import { toResolvedKey } from './auth.mapping';
import { AuthRepository } from './auth.repository';

/** The gateway's cache miss: one query, one reply. */
@Injectable()
export class AuthService {
  constructor(private readonly repo: AuthRepository) {}

  async resolve(req: KeyAuthResolveRequest): Promise<ResolvedKey | null> {
    if (typeof req?.keyHash !== 'string' || !/^[0-9a-f]{64}$/.test(req.keyHash)) {
      throw badRequest('keyHash must be the sha256 hex of the key', 'keyHash');
    }
    const row = await this.repo.resolve(req.keyHash);
    return row ? toResolvedKey(row, new Date()) : null;
  }
}
