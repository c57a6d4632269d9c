import { halve, picoFor, picoToDollars, toDecimal, type Decimal } from './money';
import type { CharacterCounts, CostBreakdown, CostInput, ModelPrice } from './types';

/** Per-unit rates for one request, as exact decimals, after the batch discount. */
interface Rates {
  readonly input?: Decimal;
  readonly output?: Decimal;
  readonly cacheRead?: Decimal;
  readonly reasoning?: Decimal;
  readonly inputChar?: Decimal;
  readonly outputChar?: Decimal;
}

const ZERO: CostBreakdown = Object.freeze({
  input_cost: 0,
  output_cost: 0,
  cache_read_cost: 0,
  total_cost: 0,
  total_pico: 0n,
  priced: false,
});


/**
 * Batch jobs use the map's *_batches price where it has one; every other price (including the token
 * prices of a model without *_batches, cache reads and reasoning) is halved, which is what OpenAI,
 * Anthropic, Vertex and Bedrock charge for batch work.
 */
const rateCache = new WeakMap<ModelPrice, { normal?: Rates; batch?: Rates }>();

/** Rates are parsed once per price object: a request then pays for bigint maths only. */
function ratesFor(price: ModelPrice, batch: boolean): Rates {
  let entry = rateCache.get(price);
  if (!entry) rateCache.set(price, (entry = {}));
  const slot = batch ? 'batch' : 'normal';
  return (entry[slot] ??= parseRates(price, batch));
}

function parseRates(price: ModelPrice, batch: boolean): Rates {
  const rate = (v: number | undefined, batchPrice?: number): Decimal | undefined => {
    if (batch && batchPrice !== undefined) return toDecimal(batchPrice);
    if (v === undefined) return undefined;
    return batch ? halve(toDecimal(v)) : toDecimal(v);
  };
  return {
    input: rate(price.input_cost_per_token, price.input_cost_per_token_batches),
    output: rate(price.output_cost_per_token, price.output_cost_per_token_batches),
    cacheRead: rate(price.cache_read_input_token_cost),
    reasoning: rate(price.output_cost_per_reasoning_token),
    inputChar: rate(price.input_cost_per_character),
    outputChar: rate(price.output_cost_per_character),
  };
}

function characterCounts(c: number | CharacterCounts | undefined): CharacterCounts {
  return typeof c === 'number' ? { input: c } : (c ?? {});
}

function count(n: number | undefined): number {
  return n !== undefined && Number.isFinite(n) && n > 0 ? Math.round(n) : 0;
}

/** Prompt side: characters where priced per character and counted, else tokens with cached reads split off. */
function inputPico(rates: Rates, input: CostInput, chars: CharacterCounts): { input: bigint; cacheRead: bigint } {
  if (rates.inputChar && chars.input !== undefined) return { input: picoFor(count(chars.input), rates.inputChar), cacheRead: 0n };
  const prompt = count(input.usage.prompt_tokens);
  if (!rates.cacheRead || input.callType === 'embedding') return { input: picoFor(prompt, rates.input), cacheRead: 0n };
  // Cached tokens are part of prompt_tokens: priced once, at the cache-read price.
  const cached = Math.min(count(input.usage.cached_tokens), prompt);
  return { input: picoFor(prompt - cached, rates.input), cacheRead: picoFor(cached, rates.cacheRead) };
}

/** Completion side; reasoning tokens are part of completion_tokens, priced once at their own rate if any. */
function outputPico(rates: Rates, input: CostInput, chars: CharacterCounts): bigint {
  if (input.callType === 'embedding') return 0n;
  if (rates.outputChar && chars.output !== undefined) return picoFor(count(chars.output), rates.outputChar);
  const completion = count(input.usage.completion_tokens);
  if (!rates.reasoning) return picoFor(completion, rates.output);
  const reasoning = Math.min(count(input.usage.reasoning_tokens), completion);
  return picoFor(completion - reasoning, rates.output) + picoFor(reasoning, rates.reasoning);
}

/**
 * The cost of one request. Pure and total: an unknown price (undefined) costs 0 with `priced: false`;
 * reporting that is the caller's job (see CostCalculator). Speech is priced per input character
 * (pass `characters`) where the model has a per-character price, otherwise by tokens.
 */
export function computeCost(input: CostInput): CostBreakdown {
  if (!input.price) return ZERO;
  const rates = ratesFor(input.price, input.batch === true);
  const chars = characterCounts(input.characters);
  const { input: inPico, cacheRead } = inputPico(rates, input, chars);
  const outPico = outputPico(rates, input, chars);
  const total = inPico + cacheRead + outPico;
  return {
    input_cost: picoToDollars(inPico),
    output_cost: picoToDollars(outPico),
    cache_read_cost: picoToDollars(cacheRead),
    total_cost: picoToDollars(total),
    total_pico: total,
    priced: true,
  };
}

