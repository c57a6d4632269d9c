import { computeCost, ModelPrice } from '@tollgate/pricing';

export interface BatchUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  cached_tokens: number;
  reasoning_tokens: number;
}

export interface BatchCostResult {
  successful: number;
  failed: number;
  models: string[];
  usage: BatchUsage;
  /** pico-dollars: summed exactly, converted to dollars once */
  inputPico: bigint;
  outputPico: bigint;
  totalPico: bigint;
  /** models with no known price (their lines are counted, at $0) */
  unpriced: string[];
}

function n(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.round(v) : 0;
}

/**
 * Sums a batch's output file, one line at a time (so a large file is never held whole): a line is
 * a success iff `response.status_code == 200`; its `response.body.usage` is priced with the model's
 * batch prices (`*_batches`, else half the normal price: libs/pricing `batch: true`). Failed lines
 * and error-file lines count as failures at $0; a success that cannot be priced counts at $0.
 */
export class BatchCostAccumulator {
  private readonly r: BatchCostResult = {
    successful: 0, failed: 0, models: [], unpriced: [],
    usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0, cached_tokens: 0, reasoning_tokens: 0 },
    inputPico: 0n, outputPico: 0n, totalPico: 0n,
  };

  constructor(private readonly priceOf: (model: string) => ModelPrice | undefined, private readonly fallbackModel: string) {}

  addOutputLine(line: string): void {
    if (line.trim() === '') return;
    let parsed: { response?: { status_code?: unknown; body?: { model?: unknown; usage?: Record<string, unknown> } } };
    try {
      parsed = JSON.parse(line) as typeof parsed;
    } catch {
      this.r.failed++;
      return;
    }
    const res = parsed?.response;
    if (!res || res.status_code !== 200) {
      this.r.failed++;
      return;
    }
    this.r.successful++;
    const body = res.body ?? {};
    const model = typeof body.model === 'string' && body.model ? body.model : this.fallbackModel;
    if (!this.r.models.includes(model)) this.r.models.push(model);
    const u = body.usage ?? {};
    const details = (u.prompt_tokens_details ?? {}) as Record<string, unknown>;
    const cdetails = (u.completion_tokens_details ?? {}) as Record<string, unknown>;
    const usage = {
      prompt_tokens: n(u.prompt_tokens),
      completion_tokens: n(u.completion_tokens),
      cached_tokens: n(details.cached_tokens),
      reasoning_tokens: n(cdetails.reasoning_tokens),
    };
    this.r.usage.prompt_tokens += usage.prompt_tokens;
    this.r.usage.completion_tokens += usage.completion_tokens;
    this.r.usage.total_tokens += n(u.total_tokens) || usage.prompt_tokens + usage.completion_tokens;
    this.r.usage.cached_tokens += usage.cached_tokens;
    this.r.usage.reasoning_tokens += usage.reasoning_tokens;
    const price = this.priceOf(model);
    if (!price) {
      if (!this.r.unpriced.includes(model)) this.r.unpriced.push(model);
      return;
    }
    const c = computeCost({ callType: 'chat', price, usage, batch: true });
    // the total is exact (pico); the input share (prompt + cache reads, LiteLLM's prompt_cost) comes
    // from its float, exact at one line's size, and the output share is the rest, so they sum exactly
    const inPico = BigInt(Math.round((c.input_cost + c.cache_read_cost) * 1e12));
    this.r.inputPico += inPico;
    this.r.outputPico += c.total_pico - inPico;
    this.r.totalPico += c.total_pico;
  }

  addErrorLine(line: string): void {
    if (line.trim() !== '') this.r.failed++;
  }

  result(): BatchCostResult {
    return { ...this.r, models: [...this.r.models], unpriced: [...this.r.unpriced], usage: { ...this.r.usage } };
  }
}
