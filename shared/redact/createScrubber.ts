import { REDACTED } from './redactConnectionSecrets';
import { redactSecrets } from './redactSecrets';

/** Turns text that may leave the process (a log line, an error message) into text without secrets. */
export type Scrub = (text: string) => string;

/**
 * Shorter configured values are not looked for as such: they would blank out ordinary words, and no
 * credential is that short. The secret-looking patterns of redactSecrets still apply to them.
 */
export const MIN_SECRET_LENGTH = 6;

/** Values inside a connection string or URL that are secrets on their own (an SDK may quote just the key). */
const SECRET_PART = /(?:^|[;&?\s])(?:password|pwd|accountkey|accesskey|sharedaccesskey|sharedaccesssignature|sig)\s*=\s*([^;&\s]+)/gi;

/**
 * The one secret scrubber: every configured secret (and the key or token inside a connection string
 * or URL, each also URL-encoded) becomes `[REDACTED]`, then secret-looking text (passwords in SQL,
 * connection-string keys, URL passwords) is redacted as in alerts. Every logger and every error message
 * that can leave the process goes through one of these (see docs/architecture.md, "Secrets").
 */
export function createScrubber(secrets: Iterable<string | null | undefined>): Scrub {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (typeof secret !== 'string') continue;
    for (const form of formsOf(secret.trim())) {
      if (form.length < MIN_SECRET_LENGTH) continue;
      forms.add(form);
      forms.add(encodeURIComponent(form));
    }
  }
  // Longest first, so a whole connection string goes before the key inside it.
  const ordered = [...forms].sort((a, b) => b.length - a.length);
  return (text) => redactSecrets(ordered.reduce((out, form) => (out.includes(form) ? out.split(form).join(REDACTED) : out), text));
}

function formsOf(secret: string): string[] {
  const forms = [secret];
  for (const m of secret.matchAll(SECRET_PART)) forms.push(m[1]!, decodeSafely(m[1]!));
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(secret)) {
    try {
      const url = new URL(secret);
      // A webhook URL's secret is its path (hooks.slack.com/services/T…/B…/token); a message may quote only that.
      if (url.pathname.length > 1) forms.push(url.pathname + url.search, url.pathname.split('/').pop() ?? '');
      if (url.password) forms.push(url.password, decodeSafely(url.password));
    } catch {
      // Not a URL after all: the whole value is still looked for.
    }
  }
  return forms;
}

function decodeSafely(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
