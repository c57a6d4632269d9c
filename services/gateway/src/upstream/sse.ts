import type { SseEvent } from '../providers/provider';

export type { SseEvent };

const LF = 10;
const CR = 13;
const COLON = 58;
const SPACE = 32;

/**
 * Incremental Server-Sent Events parser for upstream responses (WHATWG event-stream rules).
 *
 * Network chunks may split anywhere: inside a line, between `\r` and `\n`, or inside a UTF-8
 * multi-byte character (a streaming TextDecoder keeps the partial bytes). Lines end with `\n`,
 * `\r\n` or `\r`; a blank line ends an event; `:` lines are comments; several `data:` lines are
 * joined with `\n`; an event with no `data:` line is not dispatched. Unlike a browser, `end()`
 * also dispatches a last event that the upstream did not terminate with a blank line.
 *
 * Cost: each chunk is decoded once and scanned with native indexOf; a line split across chunks is
 * kept as a list of pieces and joined once, so a long line is never re-concatenated per chunk.
 */
export class SseParser {
  private readonly decoder = new TextDecoder('utf-8');
  private partial: string[] = [];
  /** the previous chunk ended with `\r`: a `\n` at the start of the next one belongs to it */
  private skipLeadingLf = false;
  private eventType: string | undefined;
  private data: string | undefined;
  private out: SseEvent[] = [];

  /** Feed one network chunk; returns the events it completed (often none or one). */
  push(chunk: Uint8Array | string): SseEvent[] {
    const text = typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    if (text.length > 0) this.scan(text);
    return this.drain();
  }

  /** The upstream ended: flush what is left. */
  end(): SseEvent[] {
    const rest = this.decoder.decode();
    if (rest.length > 0) this.scan(rest);
    if (this.partial.length > 0) {
      const line = this.partial.join('');
      this.partial = [];
      this.line(line);
    }
    this.dispatch();
    return this.drain();
  }

  private drain(): SseEvent[] {
    if (this.out.length === 0) return [];
    const events = this.out;
    this.out = [];
    return events;
  }

  private scan(text: string): void {
    let pos = 0;
    const len = text.length;
    if (this.skipLeadingLf) {
      this.skipLeadingLf = false;
      if (text.charCodeAt(0) === LF) pos = 1;
    }
    let nextLf = text.indexOf('\n', pos);
    let nextCr = text.indexOf('\r', pos);
    while (pos < len) {
      if (nextLf !== -1 && nextLf < pos) nextLf = text.indexOf('\n', pos);
      if (nextCr !== -1 && nextCr < pos) nextCr = text.indexOf('\r', pos);
      let end: number;
      if (nextCr === -1) end = nextLf;
      else if (nextLf === -1) end = nextCr;
      else end = nextCr < nextLf ? nextCr : nextLf;
      if (end === -1) {
        this.partial.push(pos === 0 ? text : text.slice(pos));
        return;
      }
      let line = text.slice(pos, end);
      if (this.partial.length > 0) {
        this.partial.push(line);
        line = this.partial.join('');
        this.partial = [];
      }
      this.line(line);
      pos = end + 1;
      if (text.charCodeAt(end) === CR) {
        if (pos === len) this.skipLeadingLf = true;
        else if (text.charCodeAt(pos) === LF) pos++;
      }
    }
  }

  private line(line: string): void {
    if (line.length === 0) {
      this.dispatch();
      return;
    }
    const first = line.charCodeAt(0);
    if (first === COLON) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = '';
    if (colon !== -1) {
      const start = line.charCodeAt(colon + 1) === SPACE ? colon + 2 : colon + 1;
      value = line.slice(start);
    }
    if (field === 'data') this.data = this.data === undefined ? value : `${this.data}\n${value}`;
    else if (field === 'event') this.eventType = value;
    // `id` and `retry` mean nothing for a one-shot upstream response
  }

  private dispatch(): void {
    if (this.data !== undefined) {
      this.out.push(this.eventType === undefined ? { data: this.data } : { event: this.eventType, data: this.data });
    }
    this.data = undefined;
    this.eventType = undefined;
  }
}

/** Convenience for an undici body (or any async iterable of bytes): yields events as they complete. */
export async function* readSse(body: AsyncIterable<Uint8Array | string>): AsyncGenerator<SseEvent> {
  const parser = new SseParser();
  for await (const chunk of body) {
    for (const event of parser.push(chunk)) yield event;
  }
  for (const event of parser.end()) yield event;
}
