import { createOpenAICompatibleProvider } from '../openai/openai.provider';
import type { Provider } from '../provider';

/**
 * `openrouter/<vendor>/<model>` (e.g. `openrouter/openai/o1`): OpenRouter speaks OpenAI's format, so
 * this is the OpenAI implementation with OpenRouter's base URL; the model sent upstream is
 * everything after the `openrouter/` prefix (`target.model`).
 */
export const openrouterProvider: Provider = createOpenAICompatibleProvider({
  id: 'openrouter',
  label: 'OpenRouter',
  calls: ['chat', 'completion', 'embedding'],
  defaultApiBase: 'https://openrouter.ai/api/v1',
});
