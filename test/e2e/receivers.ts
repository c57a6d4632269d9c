import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';

async function body(req: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const c of req) parts.push(c as Buffer);
  return Buffer.concat(parts).toString();
}

function listen(server: Server): Promise<string> {
  return new Promise((res) => server.listen(0, '127.0.0.1', () => res(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  service: string;
  attributes: Record<string, unknown>;
}

/** A local OTLP/HTTP (JSON) trace receiver: collects every exported span with its service name. */
export async function startOtlpReceiver(): Promise<{ url: string; spans: OtlpSpan[]; close(): Promise<void> }> {
  const spans: OtlpSpan[] = [];
  const server = createServer(async (req, res) => {
    const text = await body(req);
    if (req.url === '/v1/traces') {
      const doc = JSON.parse(text) as { resourceSpans?: any[] };
      for (const rs of doc.resourceSpans ?? []) {
        const service = rs.resource?.attributes?.find((a: any) => a.key === 'service.name')?.value?.stringValue ?? '';
        for (const ss of rs.scopeSpans ?? []) {
          for (const s of ss.spans ?? []) {
            const attributes: Record<string, unknown> = {};
            for (const a of s.attributes ?? []) attributes[a.key] = Object.values(a.value ?? {})[0];
            spans.push({ traceId: s.traceId, spanId: s.spanId, parentSpanId: s.parentSpanId || undefined, name: s.name, service, attributes });
          }
        }
      }
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{}');
  });
  const url = await listen(server);
  return { url, spans, close: () => new Promise((r) => server.close(() => r())) };
}

/**
 * A stand-in for Aporia's validate API: a prompt containing "forbidden" or an answer containing
 * "classified" is blocked; everything else passes.
 */
export async function startAporiaMock(): Promise<{ url: string; calls: unknown[]; close(): Promise<void> }> {
  const calls: unknown[] = [];
  const server = createServer(async (req, res) => {
    const b = JSON.parse(await body(req)) as { messages?: { content: string }[]; response?: string; validation_target: string };
    calls.push(b);
    const prompt = (b.messages ?? []).map((m) => m.content).join(' ');
    const blocked = b.validation_target === 'prompt' ? /forbidden/.test(prompt) : /classified/.test(b.response ?? '');
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ action: blocked ? 'block' : 'passthrough', revised_response: blocked ? 'policy violation' : null }));
  });
  const url = await listen(server);
  return { url, calls, close: () => new Promise((r) => server.close(() => r())) };
}
