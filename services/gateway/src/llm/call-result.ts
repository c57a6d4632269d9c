/** What a call produced, for the controller to write. */
export type CallResult =
  | { kind: 'json'; body: Record<string, unknown> }
  | { kind: 'binary'; contentType: string; data: Buffer }
  /** SSE `data:` payloads (JSON text), in order; `[DONE]` is written by the controller */
  | { kind: 'stream'; payloads: AsyncIterable<string> };
