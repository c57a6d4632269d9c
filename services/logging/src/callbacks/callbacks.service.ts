import { hostname } from 'node:os';
import { Inject, Injectable } from '@nestjs/common';
import { Agent } from 'undici';
import type { Logger } from '@tollgate/config';
import { StandardLoggingPayload } from '@tollgate/contracts';
import { LOGGER, LOGGING_OPTIONS, ResolvedLoggingOptions } from '../logging.options';
import { LoggingMetrics } from '../metrics/logging-metrics';
import { CallbackQueue, CallbackSink } from './callback-queue';
import { SupportedCallback } from './callback-settings';
import { callbackAgent, datadogSink, genericApiSink } from './http-sinks';

const REDACTED = 'redacted-by-litellm';

/**
 * LiteLLM's success / failure callbacks, run here after the spend log row is committed, never on
 * the gateway's request path. Each callback has its own bounded queue, so a slow or dead endpoint
 * only drops its own payloads; it never delays the consumer or grows memory.
 */
@Injectable()
export class CallbacksService {
  private readonly queues = new Map<SupportedCallback, CallbackQueue>();
  private readonly success: CallbackQueue[] = [];
  private readonly failure: CallbackQueue[] = [];
  private readonly agent: Agent | null;

  constructor(
    @Inject(LOGGING_OPTIONS) private readonly opts: ResolvedLoggingOptions,
    metrics: LoggingMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    const settings = opts.callbacks;
    if (settings.unsupported.length) {
      logger.warn({ callbacks: settings.unsupported }, 'logging callbacks not supported by Tollgate are skipped');
    }
    const wanted = new Set([...settings.success, ...settings.failure].filter((n) => n !== 'otel'));
    this.agent = wanted.size ? callbackAgent() : null;
    for (const name of wanted) {
      const sink = this.sinkFor(name);
      if (sink) this.queues.set(name, new CallbackQueue(sink, opts.callbackQueue, metrics, logger));
    }
    for (const name of settings.success) if (this.queues.has(name)) this.success.push(this.queues.get(name)!);
    for (const name of settings.failure) if (this.queues.has(name)) this.failure.push(this.queues.get(name)!);
  }

  get active(): string[] {
    return [...this.queues.keys()];
  }

  queueSizes(): Record<string, number> {
    return Object.fromEntries([...this.queues].map(([name, q]) => [name, q.size]));
  }

  /** Queues the payload for every callback of its outcome; never waits. */
  dispatch(payload: StandardLoggingPayload, failed: boolean): void {
    const targets = failed ? this.failure : this.success;
    if (targets.length === 0) return;
    const out = this.opts.callbacks.turnOffMessageLogging ? { ...payload, messages: REDACTED, response: REDACTED } : payload;
    for (const q of targets) q.enqueue(out);
  }

  async close(deadlineMs: number): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close(deadlineMs)));
    await this.agent?.destroy().catch(() => undefined);
  }

  /** A misconfigured callback is logged and left off: spend logs keep flowing without it. */
  private sinkFor(name: SupportedCallback): CallbackSink | null {
    try {
      if (name === 'generic_api') return genericApiSink(this.opts.env, this.agent!);
      if (name === 'datadog') return datadogSink(this.opts.env, this.agent!, hostname());
      return null;
    } catch (e) {
      this.logger.error({ callback: name, reason: (e as Error).message }, 'logging callback disabled: misconfigured');
      return null;
    }
  }
}
