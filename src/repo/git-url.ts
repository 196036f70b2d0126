/**
 * Credentials in git URLs. Every consumer of the URLs this library writes (ConfigSync, Porch,
 * kpt) takes its credentials from a Secret or from git's own helpers, so a user name or password
 * in a URL is never needed; written into a RootSync or Kptfile it would publish the secret to
 * everyone who can read the repository.
 */

/** `scheme://userinfo@...`: the userinfo is everything between `//` and the first `@` before any `/`. */
const URL_USERINFO = /^([a-z][a-z0-9+.-]*):\/\/([^/?#@\s]*)@/i;
/** Any `scheme://userinfo@` inside a longer text (a YAML file). */
const USERINFO_IN_TEXT = /\b([a-z][a-z0-9+.-]*):\/\/([^/?#@\s"'`]*)@/gi;
/** A URL with a query inside a longer text, up to the first blank or quote. */
const URL_WITH_QUERY_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'`?]*\?[^\s"'`]*/gi;

/** The URL with its userinfo, when it has one, and the values of its query parameters replaced by `***`: safe to print. */
export function redactUrl(url: string): string {
  const text = String(url).replace(URL_USERINFO, '$1://***@');
  const q = text.indexOf('?');
  if (q < 0) return text;
  const hash = text.indexOf('#', q);
  const end = hash < 0 ? text.length : hash;
  const query = text.slice(q + 1, end).replace(/=[^&;]*/g, '=***');
  return `${text.slice(0, q + 1)}${query}${hash < 0 ? '' : '#***'}`;
}

/**
 * Why `url` carries a credential, or undefined. A password (`user:secret@`) is refused in any
 * scheme; with http(s) any userinfo is, since `https://<token>@host` is how GitHub and GitLab
 * take a bare token. An SSH user (`ssh://git@host`, `git@host:path`) is not a credential. The
 * reason quotes the URL redacted, never the secret.
 */
export function credentialInUrl(url: string): string | undefined {
  const text = String(url);
  const match = URL_USERINFO.exec(text);
  const userinfo = match ? credentialReason(match[1], match[2], redactUrl(text)) : undefined;
  if (userinfo) return userinfo;
  const keys = credentialQueryKeys(text);
  if (keys.length > 0) return `the URL ${redactUrl(text)} carries a credential in its query (${[...new Set(keys)].join(', ')})`;
  return undefined;
}

/**
 * Every credential-carrying URL in a text (a rendered YAML file), each reported redacted. Linear
 * in the text; a text without `@` is skipped at once.
 */
export function credentialsInText(text: string): string[] {
  const found: string[] = [];
  if (text.includes('@')) {
    for (const match of text.matchAll(USERINFO_IN_TEXT)) {
      const reason = credentialReason(match[1], match[2], `${match[1]}://***@...`);
      if (reason) found.push(reason);
    }
  }
  if (text.includes('?')) {
    for (const match of text.matchAll(URL_WITH_QUERY_IN_TEXT)) {
      const keys = credentialQueryKeys(match[0]);
      if (keys.length > 0) found.push(`the URL ${redactUrl(match[0])} carries a credential in its query (${[...new Set(keys)].join(', ')})`);
    }
  }
  return found;
}

function credentialReason(scheme: string, userinfo: string, shown: string): string | undefined {
  const lower = scheme.toLowerCase();
  if (userinfo.includes(':')) return `the URL ${shown} carries a password in its user info`;
  if ((lower === 'http' || lower === 'https') && userinfo !== '') return `the URL ${shown} carries a user name or token in its user info`;
  return undefined;
}

/** What to do instead, for error messages. */
export const URL_CREDENTIAL_ADVICE = 'remove it from the URL: ConfigSync and Porch read credentials from the Secret the auth names (GitAuth, DeliveryMode.porch secretName), and publish from NEPHORAN_GIT_TOKEN';

/**
 * Query parameters that carry a credential: GitLab's `private_token`, OAuth's `access_token`,
 * forges' `token`, and passwords, keys and signatures by their usual names. Matched whole,
 * case-insensitively.
 */
const CREDENTIAL_QUERY_KEYS = new Set([
  'access_token', 'private_token', 'token', 'auth_token', 'oauth_token', 'refresh_token', 'id_token', 'job_token',
  'password', 'passwd', 'pwd', 'pass', 'secret', 'client_secret', 'apikey', 'api_key', 'api-key', 'key',
  'auth', 'authorization', 'credential', 'credentials', 'sig', 'signature', 'x-amz-signature', 'x-amz-credential',
]);

/** The query string of a URL-like text (after `?`, before `#`), or undefined. */
function queryOf(url: string): string | undefined {
  const q = url.indexOf('?');
  if (q < 0) return undefined;
  const hash = url.indexOf('#', q);
  return url.slice(q + 1, hash < 0 ? undefined : hash);
}

/** The credential-like query parameter names of a URL, in order. */
function credentialQueryKeys(url: string): string[] {
  const query = queryOf(url);
  if (!query) return [];
  const found: string[] = [];
  for (const part of query.split(/[&;]/)) {
    const eq = part.indexOf('=');
    let key = eq < 0 ? part : part.slice(0, eq);
    try {
      key = decodeURIComponent(key.replace(/\+/g, ' '));
    } catch {
      // An undecodable key is compared as written.
    }
    if (CREDENTIAL_QUERY_KEYS.has(key.trim().toLowerCase()) && eq >= 0 && part.length > eq + 1) found.push(key);
  }
  return found;
}

/** A git remote URL as ConfigSync and Porch take it: http(s), ssh, git or file URLs, or scp-like `user@host:path`. */
export const GIT_URL = /^((https?|ssh|git|file):\/\/\S+|[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:\S+)$/;

/** A Go duration (time.ParseDuration) such as `15s`, `1m30s` or `1h`: what ConfigSync and External Secrets read. */
export const GO_DURATION = /^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/;
