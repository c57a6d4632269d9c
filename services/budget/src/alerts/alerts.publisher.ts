import { Inject, Injectable } from '@nestjs/common';
import { JSONCodec } from 'nats';
import { nsSubject, SoftBudgetCrossed } from '@tollgate/contracts';
import type { Logger } from '@tollgate/config';
import { ensureStream } from '@tollgate/messaging';
import { BUDGET_OPTIONS, LOGGER, ResolvedBudgetOptions } from '../budget.options';
import { NatsLink } from '../common/nats-link';
import { SpendRepository } from '../spend/spend.repository';

const codec = JSONCodec<unknown>();

/**
 * Soft-budget alerts: the alert row is written in the spend transaction (so a crossing is recorded
 * once), then published to JetStream with Nats-Msg-Id = alert id and marked published. Rows left
 * unpublished by a crash are sent by the next periodic check; the stream's duplicate window drops
 * a re-send of one that did go out.
 */
@Injectable()
export class AlertsPublisher {
  private busy: Promise<void> | null = null;

  constructor(
    private readonly repo: SpendRepository,
    private readonly nats: NatsLink,
    @Inject(BUDGET_OPTIONS) private readonly opts: ResolvedBudgetOptions,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    await ensureStream(await this.nats.connection.jetstreamManager(), this.opts.namespace, SoftBudgetCrossed.stream);
  }

  publishPending(): Promise<void> {
    return (this.busy ??= this.send().finally(() => (this.busy = null)));
  }

  private async send(): Promise<void> {
    const js = this.nats.connection.jetstream();
    const subject = nsSubject(this.opts.namespace, SoftBudgetCrossed.subject);
    for (const a of await this.repo.pendingAlerts()) {
      try {
        await js.publish(subject, codec.encode(a.payload), { msgID: a.alert_id });
        await this.repo.alertPublished(a.alert_id);
      } catch (e) {
        this.logger.warn({ err: e, alert_id: a.alert_id }, 'soft budget alert not published yet; will retry');
        return;
      }
    }
  }
}
