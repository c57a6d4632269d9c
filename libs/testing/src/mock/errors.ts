/** The error bodies each real provider sends, so the gateway's error mapping is tested for real. */
export type Flavour = 'openai' | 'azure' | 'anthropic';

export interface MockError {
  status: number;
  headers: Record<string, string>;
  /** JSON body, or raw text for 502 (what a proxy in front of the provider sends) */
  body: unknown;
}

const BAD_GATEWAY_HTML = '<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>';

interface OpenAIErrorSpec {
  message: string;
  type: string;
  param: string | null;
  code: string | null;
}

function openAISpec(status: number, model: string): OpenAIErrorSpec {
  switch (status) {
    case 400:
      return { message: `Invalid value for 'messages' (forced 400)`, type: 'invalid_request_error', param: 'messages', code: 'invalid_value' };
    case 401:
      return { message: 'Incorrect API key provided (forced 401)', type: 'invalid_request_error', param: null, code: 'invalid_api_key' };
    case 404:
      return { message: `The model \`${model}\` does not exist or you do not have access to it.`, type: 'invalid_request_error', param: null, code: 'model_not_found' };
    case 429:
      return { message: `Rate limit reached for ${model} on requests per min (RPM): Limit 3, Used 3, Requested 1. (forced 429)`, type: 'requests', param: null, code: 'rate_limit_exceeded' };
    case 500:
      return { message: 'The server had an error while processing your request. Sorry about that! (forced 500)', type: 'server_error', param: null, code: null };
    case 503:
      return { message: 'The engine is currently overloaded, please try again later. (forced 503)', type: 'server_error', param: null, code: null };
    default:
      return { message: `Mock upstream forced status ${status}`, type: status < 500 ? 'invalid_request_error' : 'server_error', param: null, code: null };
  }
}

function azureBody(status: number, model: string): unknown {
  switch (status) {
    case 401:
      return { error: { code: '401', message: 'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.' } };
    case 404:
      return { error: { code: 'DeploymentNotFound', message: `The API deployment ${model} for this resource does not exist. (forced 404)` } };
    case 429:
      return { error: { code: '429', message: 'Requests to the ChatCompletions_Create Operation under Azure OpenAI API have exceeded token rate limit of your current pricing tier. Please retry after 1 second. (forced 429)' } };
    default: {
      const spec = openAISpec(status, model);
      return { error: { ...spec, code: spec.code ?? String(status) } };
    }
  }
}

function anthropicSpec(status: number): { type: string; message: string } {
  switch (status) {
    case 400:
      return { type: 'invalid_request_error', message: 'messages: text content blocks must be non-empty (forced 400)' };
    case 401:
      return { type: 'authentication_error', message: 'invalid x-api-key' };
    case 403:
      return { type: 'permission_error', message: 'Your API key does not have permission to use the specified resource. (forced 403)' };
    case 404:
      return { type: 'not_found_error', message: 'model: not found (forced 404)' };
    case 413:
      return { type: 'request_too_large', message: 'Request exceeds the maximum allowed number of bytes. (forced 413)' };
    case 429:
      return { type: 'rate_limit_error', message: 'Number of request tokens has exceeded your per-minute rate limit (forced 429)' };
    case 500:
      return { type: 'api_error', message: 'Internal server error (forced 500)' };
    default:
      return { type: status >= 500 ? 'overloaded_error' : 'invalid_request_error', message: status >= 500 ? `Overloaded (forced ${status})` : `Mock upstream forced status ${status}` };
  }
}

export function errorBody(flavour: Flavour, status: number, model: string): unknown {
  if (flavour === 'anthropic') return { type: 'error', error: anthropicSpec(status) };
  if (flavour === 'azure') return azureBody(status, model);
  return { error: openAISpec(status, model) };
}

/** the answer to a forced status (`x-mock-status` or a `mock-error-<status>` model) */
export function forcedError(flavour: Flavour, status: number, model: string): MockError {
  if (status === 502) return { status, headers: { 'content-type': 'text/html' }, body: BAD_GATEWAY_HTML };
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (status === 429) headers['retry-after'] = '1';
  return { status, headers, body: errorBody(flavour, status, model) };
}

/** an error with a specific message in the flavour's shape (validation failures) */
export function validationError(flavour: Flavour, status: number, message: string, param: string | null = null, code: string | null = null): MockError {
  let body: unknown;
  if (flavour === 'anthropic') {
    const type = status === 401 ? 'authentication_error' : status === 404 ? 'not_found_error' : 'invalid_request_error';
    body = { type: 'error', error: { type, message } };
  } else if (flavour === 'azure') body = { error: { code: code ?? String(status), message, ...(param ? { param } : {}) } };
  else body = { error: { message, type: 'invalid_request_error', param, code } };
  return { status, headers: { 'content-type': 'application/json' }, body };
}

/** the in-stream error event a provider sends when it fails after the stream started */
export function streamErrorEvent(flavour: Flavour): { event?: string; data: string } {
  if (flavour === 'anthropic') return { event: 'error', data: JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded (mid-stream)' } }) };
  return { data: JSON.stringify({ error: { message: 'The server had an error while processing your request. (mid-stream)', type: 'server_error', param: null, code: null } }) };
}
