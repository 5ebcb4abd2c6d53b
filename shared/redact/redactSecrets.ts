import { looksLikeConnectionString, redactConnectionSecrets, REDACTED } from './redactConnectionSecrets';
import { SqlRedactor, type SqlRedaction } from './SqlRedactor';
import { decodeStringBody, decodeUnicodeBody, encodeStringBody, encodeUnicodeBody } from './sqlStringBody';
import { tokenizeSql, type SqlToken } from './tokenizeSql';

/** Strings inside strings inside strings...: past this depth only connection-string patterns apply. */
const MAX_DEPTH = 6;

/**
 * What replaces the rest of a statement whose secret ends in different places depending on
 * `standard_conforming_strings` (`'pa\'ss'`): the log does not say which setting was in force.
 */
export const AMBIGUOUS_REST = ` ${REDACTED} (rest hidden: where its quotes end depends on standard_conforming_strings)`;

/** Every redaction needs one of these: a quote, `=`, `$`, `(`, `%`, `:`, a backslash, or a word that names a secret. */
const MAYBE_SECRET = /[='"$\\(%:]|pass|secret|token|credential|pwd|psw|pin|key|md5|bearer|basic|private|sig/i;

export interface RedactedStatement {
  text: string;
  /** 1-based `$n` parameters the statement puts where a secret goes: their logged values must be hidden. */
  secretParams: Set<number>;
}

/**
 * Removes secrets from SQL (or any text) before it leaves the process: the value after a secret's
 * name (`PASSWORD`, `sslpassword`, `ssl_passphrase_command`, `app.api_token`… in role, server, user
 * mapping, SET and set_config statements, in any statement of a multi-statement string, inside DO
 * bodies, EXECUTE/format() strings and comments) becomes `'[REDACTED]'`; connection-string secrets
 * (password=, AccountKey=, accesskey=, SharedAccessSignature=, sig=, scheme://user:secret@host),
 * password hashes, bearer tokens and private keys become `[REDACTED]`. The keyword stays so the
 * reader sees what happened. Idempotent; text without secrets comes back unchanged.
 *
 * pgaudit redacts only when the *first* statement is a role statement; `GRANT a TO b; CREATE ROLE c
 * PASSWORD 'x'` arrives in the clear, so every statement is checked here.
 */
export function redactSecrets(text: string): string {
  return redactStatement(text).text;
}

/**
 * redactSecrets, and which bind parameters are secrets. A string with a backslash is read both
 * ways (standard_conforming_strings on and off). A `complete` statement (one the server ran, not
 * cut short) cannot end inside a quote, so a reading that does is wrong; otherwise, where the two
 * readings disagree, everything from the first token that differs on is hidden, so neither
 * reading's secret can survive.
 */
export function redactStatement(text: string, complete = true): RedactedStatement {
  // Most names and many statements cannot hold a secret: no quote, no assignment, no call, no secret word.
  if (!MAYBE_SECRET.test(text)) return { text, secretParams: new Set() };
  const standard = redactText(text, 0, false);
  if (!text.includes('\\')) return { text: standard.text, secretParams: standard.secretParams };
  const backslash = redactText(text, 0, true);
  const secretParams = new Set([...standard.secretParams, ...backslash.secretParams]);
  if (standard.text === backslash.text) return { text: standard.text, secretParams };
  if (complete && standard.open !== backslash.open) return { text: (standard.open ? backslash : standard).text, secretParams };
  let kept = '';
  for (let i = 0; i < standard.segments.length; i++) {
    const a = standard.segments[i]!;
    const b = backslash.segments[i];
    if (!b || a.end !== b.end || a.text !== b.text) break;
    kept += a.text;
  }
  return { text: kept + AMBIGUOUS_REST, secretParams };
}

function redactText(text: string, depth: number, backslashQuotes: boolean): SqlRedaction {
  if (depth >= MAX_DEPTH) {
    const out = redactConnectionSecrets(text, 'conninfo');
    return { text: out, secretParams: new Set(), secretFollows: false, segments: [{ end: text.length, text: out }], open: false };
  }
  // A quoted libpq value may hold SQL quote characters; take the values out first, then the SQL view.
  const input = looksLikeConnectionString(text) ? redactConnectionSecrets(text, 'conninfo') : text;
  const redactor = new SqlRedactor((token) => redactQuoted(token, depth, backslashQuotes));
  // Commented-out statements can carry passwords too.
  return redactor.run(tokenizeSql(input, backslashQuotes), (body) => redactText(body, depth + 1, backslashQuotes).text);
}

/** A string that is not a secret itself may hold a connection string or SQL (EXECUTE '...', DO $$...$$). */
function redactQuoted(token: Extract<SqlToken, { kind: 'string' | 'dollar' }>, depth: number, backslashQuotes: boolean): { text: string; secretFollows: boolean } {
  if (token.kind === 'dollar') {
    const body = redactText(token.body, depth + 1, backslashQuotes);
    const text = body.text === token.body ? token.raw : token.tag + body.text + (token.terminated ? token.tag : '');
    return { text, secretFollows: body.secretFollows || (!token.terminated && body.text !== token.body) };
  }
  // U&'\0070assword=…' spells a secret in escapes: read the value, not the spelling.
  const unicode = token.prefix.toUpperCase() === 'U&';
  const value = unicode ? decodeUnicodeBody(token.body) : decodeStringBody(token.body, token.escapes);
  const redacted = redactText(value, depth + 1, backslashQuotes);
  const encoded = unicode ? encodeUnicodeBody(redacted.text) : encodeStringBody(redacted.text, token.escapes);
  const text = redacted.text === value ? token.raw : `${token.prefix}'${encoded}'`;
  return { text, secretFollows: redacted.secretFollows };
}
