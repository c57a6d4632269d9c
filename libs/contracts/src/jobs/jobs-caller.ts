/**
 * Who calls a jobs route, as the gateway authenticated it. The jobs service never re-resolves a
 * key: it trusts this (NATS is internal; the upload listener checks a signature, see
 * jobs-internal-http.ts) and applies the ownership rules from it.
 */
export interface JobsCaller {
  /** sha256 hex of the presented key ('' for the open admin of a deployment without a master key) */
  keyHash: string;
  /** proxy admin or master key: sees and cancels every file and job */
  isAdmin: boolean;
  userId: string | null;
  teamId: string | null;
  keyAlias: string | null;
  teamAlias: string | null;
}
