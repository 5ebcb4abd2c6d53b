export const REDACTED = '[REDACTED]';

/**
 * Where the text comes from decides how far a secret value reaches:
 * - `conninfo`: a connection string (libpq `key=value ...`, `Key=Value;...`, URI). libpq values may be
 *   single-quoted with backslash escapes; unquoted ones end at whitespace, or at `;`/`&` that starts
 *   the next `key=`.
 * - `code`: SQL outside quotes (or prose). Quoted values there are separate tokens, so a value ends
 *   at the first character SQL would treat as punctuation.
 */
export type SecretContext = 'conninfo' | 'code';

const CONNINFO_VALUE = String.raw`'(?:[^'\\]|\\[\s\S]?)+(?:'|$)|"[^"]+(?:"|$)|(?:(?![;&][A-Za-z_][\w ]*=)[^\s'"])+`;
const CODE_VALUE = String.raw`(?:(?![&][A-Za-z_][\w ]*=)[^\s'"(),;])+`;
const PASSWORD_KEY = String.raw`(?<![\w$])(?:\w*password|passwd|pwd)`;

const PATTERNS: Record<SecretContext, RegExp[]> = {
  conninfo: [
    new RegExp(String.raw`(${PASSWORD_KEY}\s*=\s*)(?:${CONNINFO_VALUE})`, 'gi'),
    ...keyPatterns(),
  ],
  code: [new RegExp(String.raw`(${PASSWORD_KEY}\s*=\s*)(?:${CODE_VALUE})`, 'gi'), ...keyPatterns()],
};

/** Azure storage/ACS/Service Bus keys and SAS tokens, in connection strings and URLs. */
function keyPatterns(): RegExp[] {
  return [
    // Base64 and percent-encoding never hold parentheses or commas: stopping there keeps SQL around the value whole.
    /((?<![\w$])(?:SharedAccessSignature)\s*=\s*)[^;\s'"(),]+/gi,
    /((?<![\w$])(?:AccountKey|AccessKey|SharedAccessKey)\s*=\s*)[^;&\s'"(),]+/gi,
    /((?<![\w$-])sig\s*=\s*)[^;&#\s'"(),]+/gi,
    // URI userinfo: scheme://user:secret@host (the secret is percent-encoded, so it has no / or @; ' is allowed)
    /(\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@'"]*:)[^\s/@]+(?=@)/gi,
    // Password hashes as psql's \password and pg_authid store them: as good as the password to an attacker.
    /()SCRAM-SHA-256\$[A-Za-z0-9+/=:$]+/gi,
    /()(?<![\w$])md5[0-9a-f]{32}(?![\w$])/gi,
    // HTTP credentials in COPY ... PROGRAM 'curl -H "Authorization: Bearer ..."' and the like.
    /((?<![\w$])(?:Bearer|Basic)\s+)[A-Za-z0-9._~+/=-]{8,}/g,
    /(-----BEGIN [A-Z ]*PRIVATE KEY-----)(?:(?!-----END)[\s\S])+/g,
  ];
}

/** Replaces the values of password=, AccountKey=, accesskey=, SharedAccessSignature=, sig= and URI passwords. */
export function redactConnectionSecrets(text: string, context: SecretContext): string {
  let out = text;
  // A quoted value stays quoted, so SQL around a connection string keeps its shape.
  for (const pattern of PATTERNS[context]) {
    out = out.replace(pattern, (match, keep: string) => {
      const quote = match[keep.length];
      if (quote !== "'" && quote !== '"') return keep + REDACTED;
      // A value cut off by the log stays open, so that redacting the result again changes nothing.
      const closed = match.length > keep.length + 1 && match.endsWith(quote) && !match.endsWith('\\' + quote);
      return keep + quote + REDACTED + (closed ? quote : '');
    });
  }
  return out;
}

/**
 * `host=... password=...`, `Endpoint=...;AccessKey=...`, `postgres://...`: text that is a connection
 * string, not SQL. The first key has no spaces: `UPDATE t SET password = '...'` must stay SQL.
 */
export function looksLikeConnectionString(text: string): boolean {
  return /^\s*(?:[A-Za-z_][\w.-]*\s*=|[a-z][a-z0-9+.-]*:\/\/)/i.test(text);
}
