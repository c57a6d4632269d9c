import { Injectable } from '@nestjs/common';
import type { CallerRef } from '@tollgate/contracts';
import { unauthorized } from '../common/errors';
import { AccessRepository } from './access.repository';
import { Caller, masterCaller } from './caller';

/** Turns the gateway's CallerRef into a Caller: who it is, its role, its teams. */
@Injectable()
export class AccessService {
  constructor(private readonly repo: AccessRepository) {}

  async caller(ref: CallerRef | undefined): Promise<Caller> {
    if (ref?.isMaster === true) return masterCaller();
    const hash = ref?.keyHash;
    if (typeof hash !== 'string' || !/^[0-9a-f]{64}$/.test(hash)) throw unauthorized('No api key passed in.');
    const row = await this.repo.findCaller(hash);
    if (!row) {
      throw unauthorized('Authentication Error, Invalid proxy server token passed. Unable to find token in cache or `LiteLLM_VerificationTokenTable`');
    }
    if (row.blocked === true) throw unauthorized("Authentication Error, Key is blocked. Update via `/key/unblock` if you're an admin.");
    if (row.expires !== null && new Date(row.expires).getTime() < Date.now()) {
      throw unauthorized(`Authentication Error - Expired Key. Key Expiry time ${new Date(row.expires).toISOString()} and current time ${new Date().toISOString()}`);
    }
    return {
      isMaster: false,
      keyHash: row.token,
      userId: row.user_id,
      role: row.user_id !== null ? row.user_role : null,
      keyTeamId: row.team_id,
      teams: new Map(row.teams.map((m) => [m.team_id, m.role])),
    };
  }
}
