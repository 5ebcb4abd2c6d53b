import { looksLikeConnectionString, redactConnectionSecrets, REDACTED } from './redactConnectionSecrets';
import { decodeStringBody, encodeStringBody } from './sqlStringBody';
import { tokenizeSql, type SqlToken } from './tokenizeSql';

/** Strings inside strings inside strings...: past this depth only connection-string patterns apply. */
const MAX_DEPTH = 6;
const PASSWORD_AT_END = /(?:^|[^\w$])password\s*(?:=\s*)?$/i;
const STILL_WAITING = /^\s*(?:=\s*)?$/;

/**
 * Removes secrets from SQL (or any text) before it leaves the process: the quoted value after
 * `PASSWORD` (CREATE/ALTER ROLE, USER MAPPING / SERVER OPTIONS, in any statement of a multi-statement
 * string, inside DO bodies and comments) becomes `'[REDACTED]'`; connection-string secrets
 * (password=, AccountKey=, accesskey=, SharedAccessSignature=, sig=, scheme://user:secret@host)
 * become `[REDACTED]`. The keyword stays so the reader sees what happened. Idempotent; text without
 * secrets comes back unchanged, character for character.
 *
 * pgaudit redacts only when the *first* statement is a role statement; `GRANT a TO b; CREATE ROLE c
 * PASSWORD 'x'` arrives in the clear, so every statement is checked here.
 */
export function redactSecrets(text: string): string {
  return redactText(text, 0);
}

function redactText(text: string, depth: number): string {
  if (looksLikeConnectionString(text)) {
    // A quoted libpq value may hold SQL quote characters; take the values out first, then the SQL view.
    const conninfo = redactConnectionSecrets(text, 'conninfo');
    return depth >= MAX_DEPTH ? conninfo : redactSql(conninfo, depth);
  }
  return depth >= MAX_DEPTH ? redactConnectionSecrets(text, 'conninfo') : redactSql(text, depth);
}

function redactSql(text: string, depth: number): string {
  let out = '';
  let afterPassword = false;
  let justRedacted = false;
  for (const token of tokenizeSql(text)) {
    // `PASSWORD "x"'y'`: a quote right after the replacement would merge with it on the next pass.
    if (justRedacted && token.raw.startsWith("'")) out += ' ';
    justRedacted = afterPassword && token.kind !== 'code' && token.kind !== 'comment';
    switch (token.kind) {
      case 'code':
        out += redactConnectionSecrets(token.raw, 'code');
        afterPassword = (afterPassword && STILL_WAITING.test(token.raw)) || PASSWORD_AT_END.test(token.raw);
        break;
      case 'comment':
        // Commented-out statements can carry passwords too.
        out += token.open + redactText(token.body, depth + 1) + token.close;
        break;
      case 'identifier':
        // PASSWORD "x" is not valid SQL, but it is logged as typed.
        out += afterPassword ? `'${REDACTED}'` : token.raw;
        afterPassword = !afterPassword && token.name.toLowerCase() === 'password';
        break;
      case 'string':
      case 'dollar':
        out += afterPassword ? `'${REDACTED}'` : redactQuoted(token, depth);
        afterPassword = false;
        break;
    }
  }
  return out;
}

/** A string that is not a password itself may hold a connection string or SQL (EXECUTE '...', DO $$...$$). */
function redactQuoted(token: Extract<SqlToken, { kind: 'string' | 'dollar' }>, depth: number): string {
  if (token.kind === 'dollar') {
    const body = redactText(token.body, depth + 1);
    return body === token.body ? token.raw : token.tag + body + (token.terminated ? token.tag : '');
  }
  const value = decodeStringBody(token.body, token.escapes);
  const redacted = redactText(value, depth + 1);
  if (redacted === value) return token.raw;
  return `${token.prefix}'${encodeStringBody(redacted, token.escapes)}'`;
}
