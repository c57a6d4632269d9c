import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repo root: the nearest ancestor of `from` holding scripts/generate-pricing.js (works from src or dist). */
export function repoRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'scripts', 'generate-pricing.js'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no scripts/generate-pricing.js above ${from}`);
  }
}

/** The shared LiteLLM map (../shared/data from the repo root), when this machine has it. */
export const SHARED_MAP_PATH = join(repoRoot(), '..', 'shared', 'data', 'model_prices_and_context_window.json');
export const HAS_SHARED_MAP = existsSync(SHARED_MAP_PATH);

export function readSharedMap(): Record<string, Record<string, unknown>> {
  return JSON.parse(readFileSync(SHARED_MAP_PATH, 'utf8')) as Record<string, Record<string, unknown>>;
}
