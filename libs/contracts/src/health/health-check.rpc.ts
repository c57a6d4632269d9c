import { defineRpc, ServiceName } from '../define';

export interface HealthReply {
  service: ServiceName;
  ready: boolean;
  /** each dependency and whether it answered */
  checks: Record<string, boolean>;
}

/** Every service answers its own health subject so the gateway's readiness can name each one. */
export const HealthChecks = {
  logging: defineRpc<Record<string, never>, HealthReply>('logging', 'logging.health.check'),
  keys: defineRpc<Record<string, never>, HealthReply>('keys', 'keys.health.check'),
  guardrails: defineRpc<Record<string, never>, HealthReply>('guardrails', 'guardrails.health.check'),
  budget: defineRpc<Record<string, never>, HealthReply>('budget', 'budget.health.check'),
  jobs: defineRpc<Record<string, never>, HealthReply>('jobs', 'jobs.health.check'),
} as const;

/** Services the gateway expects to find running, in the order readiness reports them. */
export const BACKEND_SERVICES = Object.keys(HealthChecks) as (keyof typeof HealthChecks)[];
