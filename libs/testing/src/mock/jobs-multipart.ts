import type { Readable } from 'node:stream';
import { createWriteStream, type WriteStream } from 'node:fs';

/** What the mock got from a multipart upload: small fields in memory, the file part on disk. */
export interface ParsedUpload {
  fields: Record<string, string>;
  file?: { filename: string; path: string; bytes: number; contentType: string };
}

const FIELD_LIMIT = 64 * 1024;

export function boundaryOf(contentType: string | undefined): string | undefined {
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  return m ? (m[1] ?? m[2]) : undefined;
}

/**
 * A streaming multipart/form-data reader for the mock provider: the file part goes straight to
 * `filePath` as it arrives (so a test can upload hundreds of MB without the mock holding it), text
 * fields are collected. Parts are found by scanning for `\r\n--boundary` across chunk edges.
 */
export async function readMultipart(body: Readable, boundary: string, filePath: string): Promise<ParsedUpload> {
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  const out: ParsedUpload = { fields: {} };
  // a leading CRLF lets the first delimiter match like every other one
  let buf: Buffer = Buffer.from('\r\n');
  let state = 'preamble' as 'preamble' | 'headers' | 'body' | 'done';
  let part: { name: string; filename?: string; contentType: string } | undefined;
  let field: Buffer[] = [];
  let fieldBytes = 0;
  let sink: WriteStream | undefined;
  let fileBytes = 0;

  const write = async (data: Buffer): Promise<void> => {
    if (data.length === 0 || !part) return;
    if (part.filename !== undefined) {
      sink ??= createWriteStream(filePath);
      fileBytes += data.length;
      if (!sink.write(data)) await new Promise<void>((resolve) => sink!.once('drain', () => resolve()));
    } else {
      fieldBytes += data.length;
      if (fieldBytes > FIELD_LIMIT) throw new Error(`multipart field ${part.name} is too large`);
      field.push(data);
    }
  };
  const endPart = async (): Promise<void> => {
    if (!part) return;
    if (part.filename !== undefined) {
      const s = sink ?? createWriteStream(filePath);
      await new Promise<void>((resolve, reject) => s.end((e?: Error | null) => (e ? reject(e) : resolve())));
      sink = undefined;
      out.file = { filename: part.filename, path: filePath, bytes: fileBytes, contentType: part.contentType };
    } else {
      out.fields[part.name] = Buffer.concat(field).toString('utf8');
    }
    part = undefined;
    field = [];
    fieldBytes = 0;
  };

  const step = async (final: boolean): Promise<void> => {
    for (;;) {
      if (state === 'preamble' || state === 'body') {
        const at = buf.indexOf(delimiter);
        if (at === -1) {
          // keep a tail that could be the start of a delimiter split across chunks
          const keep = final ? 0 : Math.min(buf.length, delimiter.length - 1);
          if (state === 'body') await write(buf.subarray(0, buf.length - keep));
          buf = buf.subarray(buf.length - keep);
          return;
        }
        if (state === 'body') {
          await write(buf.subarray(0, at));
          await endPart();
        }
        const after = buf.subarray(at + delimiter.length);
        if (after.length < 2) {
          if (final) throw new Error('multipart body ends inside a delimiter');
          buf = buf.subarray(at);
          return;
        }
        if (after[0] === 0x2d && after[1] === 0x2d) {
          state = 'done';
          return;
        }
        buf = after.subarray(after.indexOf('\r\n') + 2);
        state = 'headers';
      }
      if (state === 'headers') {
        const end = buf.indexOf('\r\n\r\n');
        if (end === -1) {
          if (buf.length > FIELD_LIMIT || final) throw new Error('multipart part headers too large or truncated');
          return;
        }
        const headers = buf.subarray(0, end).toString('utf8');
        const disposition = /content-disposition:([^\r\n]*)/i.exec(headers)?.[1] ?? '';
        const name = /\bname="([^"]*)"/i.exec(disposition)?.[1] ?? '';
        const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
        const contentType = /content-type:\s*([^\r\n]*)/i.exec(headers)?.[1]?.trim() ?? 'application/octet-stream';
        part = { name, contentType, ...(filename !== undefined ? { filename } : {}) };
        buf = buf.subarray(end + 4);
        // the body runs up to the next delimiter, which starts with the CRLF that ends the part
        state = 'body';
        continue;
      }
      return;
    }
  };

  for await (const chunk of body) {
    if (state === 'done') continue;
    buf = buf.length === 0 ? (chunk as Buffer) : Buffer.concat([buf, chunk as Buffer]);
    await step(false);
  }
  if (state !== 'done') await step(true);
  if (state !== 'done') throw new Error('multipart body has no closing delimiter');
  return out;
}
