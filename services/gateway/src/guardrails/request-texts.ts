import { ProviderCall } from '../providers/provider';

/**
 * The user-visible texts of a request or a response, in order, and the inverse: writing checked
 * (possibly masked) texts back into a copy of the body. Only text is checked; images, tool
 * schemas and other parts pass through untouched.
 */
type Slot = { get(): string; set(v: string): void };

function messageSlots(messages: unknown[]): Slot[] {
  const slots: Slot[] = [];
  for (const m of messages) {
    if (typeof m !== 'object' || m === null) continue;
    const msg = m as Record<string, unknown>;
    if (typeof msg.content === 'string') {
      slots.push({ get: () => msg.content as string, set: (v) => (msg.content = v) });
    } else if (Array.isArray(msg.content)) {
      for (const part of msg.content) {
        if (typeof part === 'object' && part !== null && typeof (part as { text?: unknown }).text === 'string') {
          const p = part as { text: string };
          slots.push({ get: () => p.text, set: (v) => (p.text = v) });
        }
      }
    }
  }
  return slots;
}

function arraySlots(holder: Record<string, unknown>, field: string): Slot[] {
  const v = holder[field];
  if (typeof v === 'string') return [{ get: () => holder[field] as string, set: (s) => (holder[field] = s) }];
  if (!Array.isArray(v)) return [];
  const arr = v as unknown[];
  return arr.flatMap((x, i) => (typeof x === 'string' ? [{ get: () => arr[i] as string, set: (s: string) => (arr[i] = s) }] : []));
}

/** deep enough copy of a request body that masking never touches the caller's object */
function copyRequest(body: Record<string, unknown>): Record<string, unknown> {
  const out = { ...body };
  if (Array.isArray(body.messages)) {
    out.messages = body.messages.map((m) => {
      if (typeof m !== 'object' || m === null) return m;
      const c = { ...(m as Record<string, unknown>) };
      if (Array.isArray(c.content)) c.content = c.content.map((p) => (typeof p === 'object' && p !== null ? { ...p } : p));
      return c;
    });
  }
  if (Array.isArray(body.prompt)) out.prompt = [...body.prompt];
  if (Array.isArray(body.input)) out.input = [...body.input];
  return out;
}

function requestSlots(call: ProviderCall, body: Record<string, unknown>): Slot[] {
  if (call === 'chat') return Array.isArray(body.messages) ? messageSlots(body.messages) : [];
  if (call === 'completion') return arraySlots(body, 'prompt');
  return arraySlots(body, 'input');
}

export function requestTexts(call: ProviderCall, body: Record<string, unknown>): string[] {
  return requestSlots(call, body).map((s) => s.get());
}

export function withRequestTexts(call: ProviderCall, body: Record<string, unknown>, texts: string[]): Record<string, unknown> {
  const copy = copyRequest(body);
  requestSlots(call, copy).forEach((s, i) => {
    if (texts[i] !== undefined) s.set(texts[i]);
  });
  return copy;
}

function responseSlots(body: Record<string, unknown>): Slot[] {
  const choices = Array.isArray(body.choices) ? (body.choices as Record<string, unknown>[]) : [];
  const slots: Slot[] = [];
  for (const c of choices) {
    const message = c?.message as Record<string, unknown> | undefined;
    if (message && typeof message.content === 'string') slots.push({ get: () => message.content as string, set: (v) => (message.content = v) });
    else if (typeof c?.text === 'string') slots.push({ get: () => c.text as string, set: (v) => (c.text = v) });
  }
  return slots;
}

export function responseTexts(body: Record<string, unknown>): string[] {
  return responseSlots(body).map((s) => s.get());
}

/** Writes texts into the response body in place (the body is the gateway's own object). */
export function setResponseTexts(body: Record<string, unknown>, texts: string[]): void {
  responseSlots(body).forEach((s, i) => {
    if (texts[i] !== undefined) s.set(texts[i]);
  });
}
