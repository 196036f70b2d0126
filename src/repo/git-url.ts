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

/** The URL with its userinfo, when it has one, replaced by `***`: safe to print. */
export function redactUrl(url: string): string {
  return String(url).replace(URL_USERINFO, '$1://***@');
}

/**
 * Why `url` carries a credential, or undefined. A password (`user:secret@`) is refused in any
 * scheme; with http(s) any userinfo is, since `https://<token>@host` is how GitHub and GitLab
 * take a bare token. An SSH user (`ssh://git@host`, `git@host:path`) is not a credential. The
 * reason quotes the URL redacted, never the secret.
 */
export function credentialInUrl(url: string): string | undefined {
  const match = URL_USERINFO.exec(String(url));
  if (!match) return undefined;
  return credentialReason(match[1], match[2], redactUrl(url));
}

/**
 * Every credential-carrying URL in a text (a rendered YAML file), each reported redacted. Linear
 * in the text; a text without `@` is skipped at once.
 */
export function credentialsInText(text: string): string[] {
  if (!text.includes('@')) return [];
  const found: string[] = [];
  for (const match of text.matchAll(USERINFO_IN_TEXT)) {
    const reason = credentialReason(match[1], match[2], `${match[1]}://***@...`);
    if (reason) found.push(reason);
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
