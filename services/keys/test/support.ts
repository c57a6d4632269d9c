import { createHash, randomBytes } from 'node:crypto';
import assert from 'node:assert/strict';
import { CallerRef, ManagementRequest, TollgateError } from '@tollgate/contracts';

export const NATS_URL = 'nats://127.0.0.1:4222';
export const DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/tollgate';

export function runId(): string {
  return randomBytes(5).toString('hex');
}

export function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

export const MASTER: CallerRef = { keyHash: null, isMaster: true };
export const as = (rawKey: string): CallerRef => ({ keyHash: sha256(rawKey), isMaster: false });

export function mreq(caller: CallerRef, body: Record<string, unknown> = {}, query: Record<string, string> = {}, params: Record<string, string> = {}): ManagementRequest {
  return { caller, body, query, params };
}

/** the call fails with this status, and the message matches */
export async function refused(p: Promise<unknown>, status: number, message?: RegExp, param?: string): Promise<TollgateError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof TollgateError, `expected a TollgateError, got ${String(e)}`);
    assert.equal(e.status, status, `status ${e.status}: ${e.message}`);
    if (message) assert.match(e.message, message);
    if (param !== undefined) assert.equal(e.param, param);
    return e;
  }
  assert.fail(`expected a ${status} refusal, but the call succeeded`);
}
