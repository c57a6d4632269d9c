import { DataSource } from 'typeorm';
import { returned } from '../common/rows';
import { StandardLoggingPayload } from '@tollgate/contracts';

/**
 * The cost outbox of a batch or fine-tuning job row. Charging is a state transition guarded in SQL:
 *   pending ──claim──▶ charging (event stored) ──ack──▶ charged
 * `claim` succeeds for exactly one caller while a claim is fresh; the stored event wins over a newly
 * computed one, so a retry after a crash republishes the same bytes with the same Nats-Msg-Id and
 * JetStream drops the duplicate. A claim older than the lease (shorter than the USAGE stream's
 * 10-minute duplicate window) is taken over.
 */
export class CostOutbox {
  constructor(private readonly ds: DataSource, private readonly table: string, private readonly leaseSeconds = 60) {}

  /** The event to publish if this caller won the claim, else null (charged, none, or claimed by another). */
  async claim(id: string, event: StandardLoggingPayload): Promise<StandardLoggingPayload | null> {
    const rows = returned<{ cost_event: StandardLoggingPayload }>(await this.ds.query(
      `UPDATE ${this.table}
          SET "cost_state" = 'charging', "cost_claimed_at" = now(), "cost_event" = COALESCE("cost_event", $2::jsonb), "updated_at" = now()
        WHERE "id" = $1
          AND ("cost_state" = 'pending' OR ("cost_state" = 'charging' AND "cost_claimed_at" < now() - make_interval(secs => $3)))
        RETURNING "cost_event"`,
      [id, JSON.stringify(event), this.leaseSeconds],
    ));
    return rows[0]?.cost_event ?? null;
  }

  async charged(id: string, cost: number): Promise<void> {
    await this.ds.query(
      `UPDATE ${this.table} SET "cost_state" = 'charged', "charged_at" = now(), "response_cost" = $2, "updated_at" = now() WHERE "id" = $1 AND "cost_state" = 'charging'`,
      [id, cost.toFixed(12)],
    );
  }

  /** Gives a claim back after a failed publish, so the next attempt need not wait for the lease. */
  async release(id: string): Promise<void> {
    await this.ds.query(`UPDATE ${this.table} SET "cost_state" = 'pending', "cost_claimed_at" = NULL WHERE "id" = $1 AND "cost_state" = 'charging'`, [id]);
  }

  /** Nothing to charge (failed, cancelled without output…). */
  async none(id: string): Promise<void> {
    await this.ds.query(`UPDATE ${this.table} SET "cost_state" = 'none', "updated_at" = now() WHERE "id" = $1 AND "cost_state" = 'pending'`, [id]);
  }
}
