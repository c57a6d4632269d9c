const SECRET_PARAMS = ['password', 'sslpassword', 'sslkey', 'token', 'pass'];

/** A connection URL fit for a log line: user name and password removed, secret query params too. */
export function redactUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return '[unparseable url]';
  }
  url.username = '';
  url.password = '';
  for (const p of SECRET_PARAMS) url.searchParams.delete(p);
  return url.toString();
}
