import { Agent, request } from 'undici';
import type { TollgateEnv } from '@tollgate/config';
import { CallbackSink } from './callback-queue';

/** One keep-alive pool for every callback of the process. */
export function callbackAgent(): Agent {
  return new Agent({ keepAliveTimeout: 10_000, connections: 8 });
}

async function postJson(agent: Agent, url: string, headers: Record<string, string>, body: unknown, signal: AbortSignal): Promise<void> {
  const res = await request(url, {
    method: 'POST',
    dispatcher: agent,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    signal,
  });
  // read the body either way so the connection returns to the pool
  const text = await res.body.text().catch(() => '');
  if (res.statusCode < 200 || res.statusCode >= 300) {
    // the reply may echo the request: keep only a short, header-free excerpt
    throw new Error(`HTTP ${res.statusCode} from callback endpoint: ${text.slice(0, 200)}`);
  }
}

/** `generic_api`: the payloads as a JSON array, POSTed to GENERIC_LOGGER_ENDPOINT with GENERIC_LOGGER_HEADERS. */
export function genericApiSink(env: TollgateEnv, agent: Agent): CallbackSink {
  const endpoint = env.genericLoggerEndpoint;
  if (!endpoint) throw new Error('callback generic_api needs GENERIC_LOGGER_ENDPOINT');
  const headers = { ...env.genericLoggerHeaders };
  return {
    name: 'generic_api',
    send: (batch, signal) => postJson(agent, endpoint, headers, batch, signal),
  };
}

/** The logs intake: DD_API_BASE (a local agent or proxy) wins over DD_SITE. */
export function datadogIntakeUrl(env: TollgateEnv): string {
  if (env.ddApiBase) return `${env.ddApiBase.replace(/\/+$/, '')}/api/v2/logs`;
  return `https://http-intake.logs.${env.ddSite}/api/v2/logs`;
}

interface StatusPayload {
  status?: unknown;
  model_group?: unknown;
  custom_llm_provider?: unknown;
}

/**
 * `datadog`: each payload becomes one log entry (LiteLLM's DatadogPayload: ddsource, ddtags,
 * hostname, message = the JSON payload, service, status), POSTed as a JSON array with DD-API-KEY.
 */
export function datadogSink(env: TollgateEnv, agent: Agent, hostname: string): CallbackSink {
  if (!env.ddApiKey && !env.ddApiBase) throw new Error('callback datadog needs DD_API_KEY (or DD_API_BASE for a local agent)');
  const url = datadogIntakeUrl(env);
  const headers: Record<string, string> = env.ddApiKey ? { 'DD-API-KEY': env.ddApiKey } : {};
  const baseTags = [`env:${env.ddEnv ?? 'unknown'}`, `service:${env.ddService}`];
  return {
    name: 'datadog',
    send: (batch, signal) =>
      postJson(
        agent,
        url,
        headers,
        batch.map((p) => {
          const sp = (p ?? {}) as StatusPayload;
          const tags = [...baseTags];
          if (typeof sp.model_group === 'string' && sp.model_group) tags.push(`model_group:${sp.model_group}`);
          if (typeof sp.custom_llm_provider === 'string' && sp.custom_llm_provider) tags.push(`provider:${sp.custom_llm_provider}`);
          return {
            ddsource: env.ddSource,
            ddtags: tags.join(','),
            hostname,
            message: JSON.stringify(p),
            service: env.ddService,
            status: sp.status === 'failure' ? 'error' : 'info',
          };
        }),
        signal,
      ),
  };
}
