/**
 * Who calls a management endpoint. The gateway computes the sha256 of the presented key; it sets
 * `isMaster` when the key matched the master key (or no master key is configured: dev mode).
 * The keys service decides everything else (role, team admin rights) from this.
 */
export interface CallerRef {
  keyHash: string | null;
  isMaster: boolean;
}

/** Every management RPC takes the HTTP request as the gateway saw it, forwarded generically. */
export interface ManagementRequest {
  caller: CallerRef;
  /** parsed JSON body ({} for GET) */
  body: Record<string, unknown>;
  /** query string, one value per name */
  query: Record<string, string>;
  /** path parameters, e.g. `key` of `/key/:key/regenerate` */
  params: Record<string, string>;
}
