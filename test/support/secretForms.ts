import fc from 'fast-check';

/**
 * Secret-bearing SQL in every string and option form, for tests that check no secret survives.
 * A secret is built from distinctive pieces (`Q9` + letters/digits) joined by the characters that
 * break naive lexers: quotes, backslashes, `$`, dollar tags, comment starts, newlines, unicode, bidi.
 * A test checks that no piece appears in any output: a partly leaked secret is caught too.
 */
export interface SecretCase {
  form: string;
  statement: string;
  parameters: string[] | null;
  pieces: string[];
}

const piece = fc.stringMatching(/^[a-z0-9]{4,6}$/).map((s) => `Q9${s}`);
const breaker = fc.constantFrom("'", "''", '\\', "\\'", '$', '$$', '$x$', '"', ' ', 'é', '😀', '\u202E', '%L', ';', '--', '/*', '*/', '\n', ',', ')', '=', 'PASSWORD ', 'E\'');

export const secretArb = fc
  .tuple(fc.option(breaker, { nil: '' }), piece, fc.array(fc.tuple(breaker, piece), { minLength: 1, maxLength: 3 }), fc.option(breaker, { nil: '' }))
  .map(([lead, first, rest, tail]) => ({ secret: lead + first + rest.map(([b, p]) => b + p).join('') + tail, pieces: [first, ...rest.map(([, p]) => p)] }));

/** The SQL spellings of a string constant. `scsOff` is how it is written under standard_conforming_strings = off. */
export const literals: Record<string, (v: string) => string> = {
  standard: (v) => `'${v.replace(/'/g, "''")}'`,
  escape: (v) => `E'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`,
  unicode: (v) => `U&'${[...v].map((c) => (/[A-Za-z0-9 ]/.test(c) ? c : unicodeEscape(c.codePointAt(0)!))).join('')}'`,
  dollar: (v) => dollarQuote(v, ''),
  dollarTag: (v) => dollarQuote(v, 'pw'),
  scsOff: (v) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`,
};

function unicodeEscape(cp: number): string {
  return cp <= 0xffff ? `\\${cp.toString(16).padStart(4, '0')}` : `\\+${cp.toString(16).padStart(6, '0')}`;
}

export function dollarQuote(v: string, base: string): string {
  let tag = base;
  // The closing tag must not appear earlier, not even straddling the value's end.
  while ((v + `$${tag}$`).indexOf(`$${tag}$`) !== v.length) tag += 'q';
  return `$${tag}$${v}$${tag}$`;
}

const libpqQuote = (v: string) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

type Form = (secret: string, lit: (v: string) => string) => { statement: string; parameters?: string[] };

export const forms: Record<string, Form> = {
  createRole: (s, lit) => ({ statement: `CREATE ROLE r LOGIN PASSWORD ${lit(s)}` }),
  alterUserQuoted: (s, lit) => ({ statement: `ALTER USER "We""ird role" WITH ENCRYPTED PASSWORD ${lit(s)} VALID UNTIL 'infinity'` }),
  secondStatement: (s, lit) => ({ statement: `GRANT a TO b; ALTER ROLE r PASSWORD ${lit(s)};` }),
  serverSslpassword: (s, lit) => ({ statement: `CREATE SERVER s FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host 'h', sslpassword ${lit(s)})` }),
  userMapping: (s, lit) => ({ statement: `CREATE USER MAPPING FOR r SERVER s OPTIONS (user 'u', password ${lit(s)})` }),
  alterUserMapping: (s, lit) => ({ statement: `ALTER USER MAPPING FOR r SERVER s OPTIONS (SET password ${lit(s)})` }),
  setConfig: (s, lit) => ({ statement: `SELECT set_config('app.password', ${lit(s)}, false)` }),
  passphraseCommand: (s, lit) => ({ statement: `ALTER SYSTEM SET ssl_passphrase_command = ${lit(s)}` }),
  databaseSetting: (s, lit) => ({ statement: `ALTER DATABASE d SET app.api_token TO ${lit(s)}` }),
  formatL: (s, lit) => ({ statement: `DO ${dollarQuote(`BEGIN EXECUTE format('ALTER ROLE %I PASSWORD %L', 'r', ${lit(s)}); END`, 'do')}` }),
  concat: (s, lit) => ({ statement: `DO ${dollarQuote(`BEGIN EXECUTE 'ALTER ROLE r PASSWORD ' || quote_literal(${lit(s)}); END`, 'do')}` }),
  pgcrypto: (s, lit) => ({ statement: `SELECT pgp_sym_encrypt('data', ${lit(s)})` }),
  dblink: (s, lit) => ({ statement: `SELECT dblink_connect('c', ${lit(`host=h user=u password=${libpqQuote(s)} dbname=d`)})` }),
  uri: (s, lit) => ({ statement: `CREATE SUBSCRIPTION sub CONNECTION ${lit(`postgresql://u:${encodeURIComponent(s)}@h/db`)} PUBLICATION p` }),
  insertColumn: (s, lit) => ({ statement: `INSERT INTO users (name, password) VALUES ('u', ${lit(s)}), ('v', ${lit(s)})` }),
  parameter: (s) => ({ statement: "SELECT set_config('app.password', $1, false)", parameters: [s] }),
  parameterColumn: (s) => ({ statement: 'UPDATE accounts SET password = $1 WHERE id = $2', parameters: [s, '1'] }),
};

/** A secret in one form and one literal spelling (the forms with a bind parameter ignore the spelling). */
export const secretCaseArb: fc.Arbitrary<SecretCase> = fc
  .tuple(secretArb, fc.constantFrom(...Object.keys(forms)), fc.constantFrom(...Object.keys(literals)))
  .map(([{ secret, pieces }, form, spelling]) => {
    const { statement, parameters } = forms[form]!(secret, literals[spelling]!);
    return { form: `${form}/${spelling}`, statement, parameters: parameters ?? null, pieces };
  });

/** Password hashes as `\password` sends them: the hash is the secret. */
export const hashCaseArb: fc.Arbitrary<SecretCase> = fc
  .tuple(fc.array(piece, { minLength: 3, maxLength: 3 }), fc.stringMatching(/^[0-9a-f]{32}$/), fc.boolean())
  .map(([[a, b, c], hex, scram]) =>
    scram
      ? { form: 'scram', statement: `ALTER ROLE r PASSWORD 'SCRAM-SHA-256$4096:${a}==$${b}=:${c}='`, parameters: null, pieces: [a!, b!, c!] }
      : { form: 'md5', statement: `SELECT 'md5${hex}' AS h; ALTER USER r PASSWORD 'md5${hex}'`, parameters: null, pieces: [hex] },
  );
