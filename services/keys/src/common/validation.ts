import { z } from 'zod';
import { badRequest } from './errors';
import { parseDuration } from './duration';

/** Largest JSON object field (metadata, config, litellm_params…) a request may store. */
export const MAX_JSON_FIELD_BYTES = 64 * 1024;
const MAX_ID = 256;

/**
 * Validates `input`; the first problem becomes a 400 whose message and `param` name the field.
 * Unknown fields are dropped, as LiteLLM's request models ignore them.
 */
export function parseInput<T>(schema: z.ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = innermost(result.error.issues[0]);
  const field = issue.path.map(String).join('.') || 'body';
  const message = issue.code === 'custom' ? issue.message : `Invalid value for '${field}': ${issue.message}`;
  throw badRequest(message, field);
}

type Issue = z.core.$ZodIssue;

/** a union's own message ("Invalid input") names no field: report the first branch's first problem */
function innermost(issue: Issue, prefix: PropertyKey[] = []): Issue {
  const path = [...prefix, ...issue.path];
  if (issue.code === 'invalid_union' && issue.errors.length > 0 && issue.errors[0].length > 0) return innermost(issue.errors[0][0], path);
  return { ...issue, path } as Issue;
}

export const id = z.string().min(1).max(MAX_ID);
export const text = (max = 1024) => z.string().max(max);
export const stringList = z.array(z.string().max(MAX_ID)).max(1000);
/** rpm / tpm / parallel limits */
export const limit = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
export const perModelLimits = z.record(z.string().max(MAX_ID), limit);

/** dollars: a finite non-negative number (LiteLLM's own message when negative) */
export function money(field: string) {
  return z.number().superRefine((v, ctx) => {
    if (!Number.isFinite(v) || v < 0) ctx.addIssue({ code: 'custom', message: `${field} cannot be negative. Received: ${v}` });
  });
}

/** a JSON object of at most MAX_JSON_FIELD_BYTES */
export function jsonObject(field: string) {
  return z.record(z.string(), z.unknown()).superRefine((v, ctx) => {
    const bytes = Buffer.byteLength(JSON.stringify(v), 'utf8');
    if (bytes > MAX_JSON_FIELD_BYTES) {
      ctx.addIssue({ code: 'custom', message: `${field} is too large: ${bytes} bytes of JSON, at most ${MAX_JSON_FIELD_BYTES} allowed` });
    }
  });
}

export const durationText = z.string().max(16).refine((s) => parseDuration(s) !== null, {
  message: 'must be a duration like 30s, 30m, 30h, 30d or 1mo',
});

/** GET query flags arrive as strings */
export const queryBool = z.enum(['true', 'false', 'True', 'False', '1', '0']).transform((s) => s === 'true' || s === 'True' || s === '1');
export const queryInt = (min: number, max: number) => z.string().regex(/^\d{1,9}$/, 'must be an integer').transform(Number).pipe(z.number().int().min(min).max(max));
