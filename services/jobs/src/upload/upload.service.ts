import { Inject, Injectable } from '@nestjs/common';
import { JobsCaller, OpenAIFileObject } from '@tollgate/contracts';
import { badRequest } from '../common/errors';
import { str } from '../common/request';
import { FilesService } from '../files/files.service';
import { ProviderClient } from '../providers/provider-client';
import { DeploymentResolver } from '../routing/deployment-resolver';
import { boundaryOf, parseHead } from './multipart-head';

/** OpenAI's purposes (LiteLLM checks the same list). */
export const PURPOSES = ['assistants', 'batch', 'fine-tune', 'vision', 'user_data', 'evals'] as const;

/** OpenAI's limit for one file; a larger upload is cut off with 413. */
export const MAX_UPLOAD_BYTES = 512 * 1024 * 1024;

export interface UploadInput {
  contentType: string | undefined;
  contentLength: number | undefined;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: AsyncIterable<Buffer>;
}

function header(h: UploadInput['headers'], name: string): string | undefined {
  const v = h[name];
  return str(Array.isArray(v) ? v[0] : v);
}

/**
 * `POST /v1/files`: reads only the form fields before the file part (to route), then streams the
 * caller's multipart body to the provider as it arrives. Memory use is the head plus undici's
 * socket buffers, whatever the file size. Routing fields after the file part cannot be seen
 * without buffering the file: send `model` / `custom_llm_provider` first, or as query / header.
 */
@Injectable()
export class UploadService {
  constructor(
    private readonly files: FilesService,
    private readonly provider: ProviderClient,
    @Inject(DeploymentResolver) private readonly resolver: DeploymentResolver,
  ) {}

  async upload(caller: JobsCaller, input: UploadInput): Promise<OpenAIFileObject> {
    const boundary = boundaryOf(input.contentType);
    if (input.contentLength !== undefined && input.contentLength > MAX_UPLOAD_BYTES) throw tooLarge();
    const it = input.body[Symbol.asyncIterator]();
    let buf: Buffer = Buffer.alloc(0);
    let ended = false;
    let head = null;
    while (head === null) {
      const next = await it.next();
      if (next.done) ended = true;
      else buf = buf.length === 0 ? next.value : Buffer.concat([buf, next.value]);
      head = parseHead(buf, boundary, ended);
    }
    const fields = head.fields;
    if (fields.purpose !== undefined && !(PURPOSES as readonly string[]).includes(fields.purpose)) {
      throw badRequest(`Invalid purpose: ${fields.purpose}. Must be one of: (${PURPOSES.map((p) => `'${p}'`).join(', ')})`, 'purpose');
    }
    if (fields.target_model_names || input.query.get('target_model_names')) {
      throw badRequest('target_model_names (LiteLLM managed files) is not supported: pass one model name (x-litellm-model / model) or custom_llm_provider', 'target_model_names');
    }
    const ref = this.resolver.forNewFile({
      model: header(input.headers, 'x-litellm-model') ?? str(input.query.get('model')) ?? str(fields.model),
      provider: str(fields.custom_llm_provider) ?? str(input.query.get('custom_llm_provider')) ?? header(input.headers, 'custom-llm-provider'),
    });
    const target = this.resolver.target(ref);
    const first = head.forward;
    let sent = first.length;
    async function* forward(): AsyncGenerator<Buffer> {
      yield first;
      if (ended) return;
      for (;;) {
        const next = await it.next();
        if (next.done) return;
        sent += next.value.length;
        if (sent > MAX_UPLOAD_BYTES) throw tooLarge();
        yield next.value;
      }
    }
    const length = input.contentLength === undefined ? undefined : input.contentLength - head.removedBytes;
    const obj = await this.provider.upload(target, forward(), input.contentType!, length);
    return this.files.recordUpload(ref, caller, obj);
  }
}

function tooLarge(): Error {
  return badRequest(`File is larger than ${MAX_UPLOAD_BYTES} bytes`, 'file');
}
