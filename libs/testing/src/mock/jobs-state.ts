import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Options of the mock files / batches / fine-tuning provider. */
export interface MockJobsUpstreamOptions {
  /** when set, requests must carry it (`Authorization: Bearer` for OpenAI paths, `api-key` for Azure) */
  apiKey?: string;
  /** ms from create until a batch reads `in_progress` (default 50) */
  batchValidatingMs?: number;
  /** ms from create until a batch reads `completed` and has its output file (default 300) */
  batchCompleteMs?: number;
  /** ms from create until a fine-tuning job reads `succeeded` (default 300) */
  fineTuneCompleteMs?: number;
  /** `trained_tokens` of a finished fine-tuning job (default 4096) */
  trainedTokens?: number;
}

export interface MockFile {
  id: string;
  bytes: number;
  created_at: number;
  filename: string;
  purpose: string;
  /** where the content is, on disk */
  path: string;
}

export interface MockBatch {
  id: string;
  createdMs: number;
  endpoint: string;
  input_file_id: string;
  completion_window: string;
  metadata: Record<string, string> | null;
  cancelledMs: number | null;
  output_file_id: string | null;
  error_file_id: string | null;
  counts: { total: number; completed: number; failed: number };
}

export interface MockFineTune {
  id: string;
  createdMs: number;
  model: string;
  training_file: string;
  validation_file: string | null;
  hyperparameters: Record<string, unknown>;
  suffix: string | null;
  cancelledMs: number | null;
}

const now = (ms: number): number => Math.floor(ms / 1000);

/**
 * The provider's state: files on disk, batches and fine-tuning jobs whose status is a function of
 * time since creation, so a test only waits. A batch's output file is written the first time it is
 * read as completed: one line per input line, `response.status_code` 200 with `response.body.usage`,
 * except lines whose `custom_id` contains "fail" (status 400 in the output file) or "error" (a line
 * in the error file). An input line may set `body.mock_usage: {prompt_tokens, completion_tokens}`;
 * the default usage is 10 prompt + 5 completion tokens.
 */
export class MockJobsState {
  readonly files = new Map<string, MockFile>();
  readonly batches = new Map<string, MockBatch>();
  readonly fineTunes = new Map<string, MockFineTune>();
  private seq = 0;

  constructor(private readonly dir: string, readonly opts: MockJobsUpstreamOptions) {}

  nextId(prefix: string): string {
    return `${prefix}${Date.now().toString(36)}${(++this.seq).toString(36)}`;
  }

  newFilePath(): string {
    return join(this.dir, `f${++this.seq}`);
  }

  fileObject(f: MockFile): Record<string, unknown> {
    return { id: f.id, object: 'file', bytes: f.bytes, created_at: f.created_at, filename: f.filename, purpose: f.purpose, status: 'processed', expires_at: null, status_details: null };
  }

  addGeneratedFile(purpose: string, filename: string, content: string): MockFile {
    const path = this.newFilePath();
    writeFileSync(path, content);
    const f: MockFile = { id: this.nextId('file-'), bytes: Buffer.byteLength(content), created_at: now(Date.now()), filename, purpose, path };
    this.files.set(f.id, f);
    return f;
  }

  batchStatus(b: MockBatch, at = Date.now()): string {
    if (b.cancelledMs !== null) return at - b.cancelledMs < 30 ? 'cancelling' : 'cancelled';
    const age = at - b.createdMs;
    if (age < (this.opts.batchValidatingMs ?? 50)) return 'validating';
    if (age < (this.opts.batchCompleteMs ?? 300)) return 'in_progress';
    return 'completed';
  }

  batchObject(b: MockBatch): Record<string, unknown> {
    const status = this.batchStatus(b);
    if (status === 'completed' && b.output_file_id === null) this.finishBatch(b);
    const s = (ms: number | null): number | null => (ms === null ? null : now(ms));
    const validating = this.opts.batchValidatingMs ?? 50;
    const complete = this.opts.batchCompleteMs ?? 300;
    return {
      id: b.id,
      object: 'batch',
      endpoint: b.endpoint,
      errors: null,
      input_file_id: b.input_file_id,
      completion_window: b.completion_window,
      status,
      output_file_id: status === 'completed' ? b.output_file_id : null,
      error_file_id: status === 'completed' ? b.error_file_id : null,
      created_at: now(b.createdMs),
      in_progress_at: status === 'validating' ? null : s(b.createdMs + validating),
      expires_at: now(b.createdMs) + 86_400,
      finalizing_at: status === 'completed' ? s(b.createdMs + complete) : null,
      completed_at: status === 'completed' ? s(b.createdMs + complete) : null,
      failed_at: null,
      expired_at: null,
      cancelling_at: s(b.cancelledMs),
      cancelled_at: status === 'cancelled' ? s(b.cancelledMs) : null,
      request_counts: status === 'completed' ? b.counts : { total: b.counts.total, completed: 0, failed: 0 },
      metadata: b.metadata,
    };
  }

  private finishBatch(b: MockBatch): void {
    const input = this.files.get(b.input_file_id);
    const lines = input ? readFileSync(input.path, 'utf8').split('\n').filter((l) => l.trim() !== '') : [];
    const out: string[] = [];
    const errors: string[] = [];
    let completed = 0;
    let failed = 0;
    lines.forEach((line, i) => {
      let req: Record<string, unknown> = {};
      try {
        req = JSON.parse(line) as Record<string, unknown>;
      } catch {
        /* a bad line fails like the real API's */
      }
      const customId = typeof req.custom_id === 'string' ? req.custom_id : `line-${i}`;
      const body = (req.body ?? {}) as Record<string, unknown>;
      const model = typeof body.model === 'string' ? body.model : 'gpt-4o-mini';
      if (customId.includes('error')) {
        failed++;
        errors.push(JSON.stringify({ id: `batch_req_${i}`, custom_id: customId, response: null, error: { code: 'invalid_request', message: 'mock error line' } }));
        return;
      }
      if (customId.includes('fail')) {
        failed++;
        out.push(JSON.stringify({ id: `batch_req_${i}`, custom_id: customId, response: { status_code: 400, request_id: `req_${i}`, body: { error: { message: 'mock failure', type: 'invalid_request_error', param: null, code: null } } }, error: null }));
        return;
      }
      completed++;
      const mu = (body.mock_usage ?? {}) as { prompt_tokens?: number; completion_tokens?: number };
      const prompt = mu.prompt_tokens ?? 10;
      const completion = mu.completion_tokens ?? 5;
      out.push(JSON.stringify({
        id: `batch_req_${i}`,
        custom_id: customId,
        response: {
          status_code: 200,
          request_id: `req_${i}`,
          body: {
            id: `chatcmpl-${i}`, object: 'chat.completion', created: now(Date.now()), model,
            choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
            usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion },
          },
        },
        error: null,
      }));
    });
    b.output_file_id = this.addGeneratedFile('batch_output', `${b.id}_output.jsonl`, out.join('\n') + (out.length ? '\n' : '')).id;
    if (errors.length > 0) b.error_file_id = this.addGeneratedFile('batch_output', `${b.id}_error.jsonl`, errors.join('\n') + '\n').id;
    b.counts = { total: lines.length, completed, failed };
  }

  fineTuneStatus(j: MockFineTune, at = Date.now()): string {
    if (j.cancelledMs !== null) return 'cancelled';
    const age = at - j.createdMs;
    const done = this.opts.fineTuneCompleteMs ?? 300;
    if (age < done / 3) return 'validating_files';
    if (age < done) return 'running';
    return 'succeeded';
  }

  fineTuneObject(j: MockFineTune): Record<string, unknown> {
    const status = this.fineTuneStatus(j);
    const done = status === 'succeeded';
    return {
      id: j.id,
      object: 'fine_tuning.job',
      model: j.model,
      created_at: now(j.createdMs),
      finished_at: done ? now(j.createdMs + (this.opts.fineTuneCompleteMs ?? 300)) : status === 'cancelled' ? now(j.cancelledMs ?? j.createdMs) : null,
      fine_tuned_model: done ? `ft:${j.model}:tollgate${j.suffix ? `:${j.suffix}` : ''}:${j.id}` : null,
      organization_id: 'org-mock',
      result_files: [],
      status,
      validation_file: j.validation_file,
      training_file: j.training_file,
      hyperparameters: { n_epochs: 'auto', batch_size: 'auto', learning_rate_multiplier: 'auto', ...j.hyperparameters },
      trained_tokens: done ? (this.opts.trainedTokens ?? 4096) : null,
      error: null,
      seed: 42,
    };
  }

  fineTuneEvents(j: MockFineTune): Record<string, unknown>[] {
    const status = this.fineTuneStatus(j);
    const ev = (n: number, message: string): Record<string, unknown> => ({ id: `ftevent-${j.id}-${n}`, object: 'fine_tuning.job.event', created_at: now(j.createdMs) + n, level: 'info', message, data: {}, type: 'message' });
    const list = [ev(0, `Validating training file: ${j.training_file}`)];
    if (status !== 'validating_files') list.push(ev(1, 'Fine-tuning job started'));
    if (status === 'succeeded') list.push(ev(2, 'The job has successfully completed'));
    if (status === 'cancelled') list.push(ev(3, 'Fine-tuning job cancelled'));
    // newest first, as the real API lists them
    return list.reverse();
  }
}
