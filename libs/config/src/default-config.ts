/**
 * Used when TOLLGATE_CONFIG is unset: mock deployments that answer locally, so a fresh checkout
 * serves chat, completions, embeddings and speech with no provider key. Costs are computed from
 * the real model prices, so spend tracking can be tried end to end.
 */
export const DEFAULT_CONFIG_YAML = `
model_list:
  - model_name: gpt-4o-mini
    litellm_params:
      model: mock/gpt-4o-mini
    model_info:
      id: mock-gpt-4o-mini
  - model_name: gpt-4o
    litellm_params:
      model: mock/gpt-4o
    model_info:
      id: mock-gpt-4o
  - model_name: gpt-3.5-turbo-instruct
    litellm_params:
      model: mock/gpt-3.5-turbo-instruct
    model_info:
      id: mock-gpt-3.5-turbo-instruct
  - model_name: text-embedding-3-small
    litellm_params:
      model: mock/text-embedding-3-small
    model_info:
      id: mock-text-embedding-3-small
      mode: embedding
  - model_name: tts-1
    litellm_params:
      model: mock/tts-1
    model_info:
      id: mock-tts-1
      mode: audio_speech
general_settings: {}
litellm_settings: {}
`;
