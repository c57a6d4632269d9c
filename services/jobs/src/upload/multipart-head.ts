import { badRequest } from '../common/errors';

/** Form fields that steer Tollgate, not the provider: read, then dropped from the forwarded body. */
export const ROUTING_FIELDS = new Set(['model', 'custom_llm_provider', 'target_model_names', 'target_storage']);

export interface MultipartHead {
  /** text fields that came before the file part */
  fields: Record<string, string>;
  /** the bytes to send first: the kept leading parts, then everything from the file part's delimiter on */
  forward: Buffer;
  /** bytes of the dropped routing fields (the forwarded body is that much shorter) */
  removedBytes: number;
}

const HEAD_LIMIT = 256 * 1024;

export function boundaryOf(contentType: string | undefined): string {
  const m = /^multipart\/form-data\s*;.*\bboundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  const b = m ? (m[1] ?? m[2]) : undefined;
  if (!b) throw badRequest('Content-Type must be multipart/form-data with a boundary', 'file');
  return b;
}

/**
 * Reads just the start of a multipart body: the small text fields before the file part (enough to
 * route: `model`, `custom_llm_provider`, `purpose`), never the file. Returns null while more bytes
 * are needed. The file part and everything after it stay untouched in the stream, so the provider
 * receives the caller's own multipart body, minus Tollgate's routing fields.
 */
export function parseHead(buf: Buffer, boundary: string, ended: boolean): MultipartHead | null {
  const dash = Buffer.from(`--${boundary}`);
  const delim = Buffer.from(`\r\n--${boundary}`);
  const first = buf.indexOf(dash);
  if (first === -1) return need(buf, ended);
  const fields: Record<string, string> = {};
  const kept: Buffer[] = [buf.subarray(0, first)];
  let removed = 0;
  let at = first;
  for (;;) {
    // `at` points at `--boundary` of a part (or of the closing delimiter)
    const tail = buf.subarray(at + dash.length, at + dash.length + 2);
    if (tail.length < 2) return need(buf, ended);
    if (tail.toString() === '--') return { fields, forward: Buffer.concat([...kept, buf.subarray(at)]), removedBytes: removed };
    const headerEnd = buf.indexOf('\r\n\r\n', at);
    if (headerEnd === -1) return need(buf, ended);
    const headers = buf.subarray(at, headerEnd).toString('utf8');
    const disposition = /content-disposition:([^\r\n]*)/i.exec(headers)?.[1] ?? '';
    if (/\bfilename\*?=/i.test(disposition)) {
      return { fields, forward: Buffer.concat([...kept, buf.subarray(at)]), removedBytes: removed };
    }
    const next = buf.indexOf(delim, headerEnd + 4);
    if (next === -1) return need(buf, ended);
    const name = /\bname="([^"]*)"/i.exec(disposition)?.[1] ?? '';
    fields[name] = buf.subarray(headerEnd + 4, next).toString('utf8');
    // a part spans from its `--boundary` to the CRLF before the next one
    const part = buf.subarray(at, next + 2);
    if (ROUTING_FIELDS.has(name) || name.startsWith('litellm_metadata')) removed += part.length;
    else kept.push(part);
    at = next + 2;
  }
}

function need(buf: Buffer, ended: boolean): null {
  if (ended) throw badRequest('Malformed multipart body: no file part', 'file');
  if (buf.length > HEAD_LIMIT) throw badRequest(`Form fields before the file part exceed ${HEAD_LIMIT} bytes`, 'file');
  return null;
}
