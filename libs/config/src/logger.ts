import pino from 'pino';

/** Structured JSON logs; secrets are redacted wherever they might sit in a logged object. */
export function createLogger(service: string, level: string): pino.Logger {
  return pino({
    name: service,
    level,
    base: { service },
    redact: {
      paths: [
        'authorization', '*.authorization', 'headers.authorization', '*.headers.authorization',
        'api_key', '*.api_key', 'apiKey', '*.apiKey', 'master_key', '*.master_key', 'masterKey', '*.masterKey',
        'headers["x-api-key"]', 'headers["api-key"]', 'headers["x-litellm-api-key"]',
      ],
      censor: '[redacted]',
    },
  });
}

export type Logger = pino.Logger;
