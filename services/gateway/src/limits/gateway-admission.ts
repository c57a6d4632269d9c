import { ErrorCode, ResolvedKey, TollgateError } from '@tollgate/contracts';
import { Admission, AdmissionTicket, admissionRequestFor, isLimitsUnavailable, SpendSnapshot } from '@tollgate/limits';

export interface Admitted {
  ticket: AdmissionTicket;
  headers: Record<string, string>;
  spend: SpendSnapshot;
}

/**
 * Rate limits and budgets: ONE Redis script call per request (libs/limits, owned by the budget
 * service), no NATS hop. When Redis cannot answer the request fails with a 503 (fail closed), or
 * is admitted unmetered when `general_settings.budget_fail_open: true`, and the log says which.
 */
export class GatewayAdmission {
  constructor(
    private readonly admission: Admission,
    private readonly failOpen: boolean,
    private readonly log: { warn: (obj: object, msg: string) => void },
  ) {}

  async admit(key: ResolvedKey, model: string, callId: string): Promise<Admitted | undefined> {
    try {
      const result = await this.admission.admit(admissionRequestFor(key, model, callId));
      if (!result.admitted) throw result.error;
      return { ticket: result.ticket, headers: result.headers, spend: result.spend };
    } catch (e) {
      if (!isLimitsUnavailable(e)) throw e;
      if (this.failOpen) {
        this.log.warn({ call_id: callId, err: (e as Error).message }, 'Redis unreachable: admitting without limits (budget_fail_open: true)');
        return undefined;
      }
      this.log.warn({ call_id: callId, err: (e as Error).message }, 'Redis unreachable: refusing (fail closed; set general_settings.budget_fail_open to admit)');
      throw new TollgateError(ErrorCode.DependencyUnavailable, 'Rate limits and budgets cannot be checked right now (Redis unreachable). Retry shortly.', { status: 503 });
    }
  }

  /** After the reply: frees the parallel slot and adds the tokens to the tpm windows. */
  complete(ticket: AdmissionTicket, totalTokens: number): void {
    this.admission.complete(ticket, { total_tokens: totalTokens }).catch((e: unknown) => {
      this.log.warn({ call_id: ticket.callId, err: (e as Error).message }, 'could not record tokens / free the parallel slot (the lease expires on its own)');
    });
  }
}
