/**
 * The jobs service's internal HTTP listener (JOBS_INTERNAL_PORT, default 8094, bound to 127.0.0.1
 * unless JOBS_INTERNAL_HOST says otherwise). The gateway pipes a multipart upload to it unchanged,
 * and pipes file content back: files never cross NATS and are never held whole in memory.
 *
 * Trust: the listener is internal only (never exposed by a Service / load balancer). The gateway
 * authenticates the key and forwards the caller as base64url JSON in `x-tollgate-caller`, with
 * `x-tollgate-caller-ts` (unix ms) and `x-tollgate-caller-sig` = hex HMAC-SHA256(secret,
 * `${ts}.${caller}`) when JOBS_INTERNAL_SECRET is set. The listener refuses a bad or stale (> 60 s)
 * signature, and refuses to bind a non-loopback host without a secret.
 */
export const JOBS_INTERNAL_PATHS = Object.freeze({
  /** POST: the raw multipart body of `POST /v1/files`; query: the public request's query */
  upload: '/internal/v1/files',
  /** GET `/internal/v1/files/<file_id>/content` */
  contentPrefix: '/internal/v1/files/',
  contentSuffix: '/content',
});

export const JOBS_INTERNAL_HEADERS = Object.freeze({
  caller: 'x-tollgate-caller',
  timestamp: 'x-tollgate-caller-ts',
  signature: 'x-tollgate-caller-sig',
  /** set on the listener's error answers, whose body is the RPC error body `{code,message,status,param}` */
  error: 'x-tollgate-error',
});

/** how old a signed caller header may be */
export const JOBS_INTERNAL_MAX_SKEW_MS = 60_000;

export function jobsInternalContentPath(fileId: string): string {
  return `${JOBS_INTERNAL_PATHS.contentPrefix}${encodeURIComponent(fileId)}${JOBS_INTERNAL_PATHS.contentSuffix}`;
}
