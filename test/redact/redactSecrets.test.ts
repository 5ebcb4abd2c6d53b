import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../../shared/redact/redactSecrets';

const R = "'[REDACTED]'";

describe('redactSecrets: passwords in SQL', () => {
  it.each([
    ["CREATE ROLE alice LOGIN PASSWORD 'hunter2'", `CREATE ROLE alice LOGIN PASSWORD ${R}`],
    ["create role alice encrypted password 'hunter2' valid until 'infinity'", `create role alice encrypted password ${R} valid until 'infinity'`],
    ["ALTER ROLE alice WITH PASSWORD 'it''s; a secret'", `ALTER ROLE alice WITH PASSWORD ${R}`],
    ["ALTER ROLE alice PASSWORD E'a\\'b\\\\c'' d'", `ALTER ROLE alice PASSWORD ${R}`],
    ["ALTER ROLE alice PASSWORD e'x\\'y' LOGIN", `ALTER ROLE alice PASSWORD ${R} LOGIN`],
    ["ALTER ROLE alice PASSWORD $$sec'ret$$", `ALTER ROLE alice PASSWORD ${R}`],
    ["ALTER ROLE alice PASSWORD $pw$sec$$ret$pw$ VALID UNTIL '2030-01-01'", `ALTER ROLE alice PASSWORD ${R} VALID UNTIL '2030-01-01'`],
    ['ALTER ROLE alice PASSWORD "hunter2"', `ALTER ROLE alice PASSWORD ${R}`],
    ["ALTER ROLE alice PASSWORD /* new */ 'hunter2'", `ALTER ROLE alice PASSWORD /* new */ ${R}`],
    ["ALTER ROLE alice PASSWORD 'SCRAM-SHA-256$4096:abc$def:ghi'", `ALTER ROLE alice PASSWORD ${R}`],
    ['ALTER ROLE alice PASSWORD NULL', 'ALTER ROLE alice PASSWORD NULL'],
  ])('%s', (input, expected) => {
    expect(redactSecrets(input)).toBe(expected);
  });

  it('checks every statement of a multi-statement string (pgaudit only looks at the first)', () => {
    expect(redactSecrets("GRANT a TO b; CREATE ROLE c PASSWORD 'x'")).toBe(`GRANT a TO b; CREATE ROLE c PASSWORD ${R}`);
    expect(redactSecrets("SELECT ';'; ALTER USER d PASSWORD 'p1'; ALTER USER e PASSWORD 'p2';")).toBe(
      `SELECT ';'; ALTER USER d PASSWORD ${R}; ALTER USER e PASSWORD ${R};`,
    );
  });

  it('redacts password options of user mappings and foreign servers', () => {
    expect(redactSecrets("CREATE USER MAPPING FOR bob SERVER films OPTIONS (user 'bob', password 'hunter2')")).toBe(
      `CREATE USER MAPPING FOR bob SERVER films OPTIONS (user 'bob', password ${R})`,
    );
    expect(redactSecrets(`ALTER USER MAPPING FOR bob SERVER s OPTIONS (SET "password" 'q1', ADD password_required 'false')`)).toBe(
      `ALTER USER MAPPING FOR bob SERVER s OPTIONS (SET "password" ${R}, ADD password_required 'false')`,
    );
  });

  it('finds passwords inside DO bodies, EXECUTE strings and comments', () => {
    expect(redactSecrets("DO $$ BEGIN EXECUTE 'CREATE ROLE x PASSWORD ''inner'''; END $$")).toBe(
      "DO $$ BEGIN EXECUTE 'CREATE ROLE x PASSWORD ''[REDACTED]'''; END $$",
    );
    expect(redactSecrets("-- ALTER ROLE x PASSWORD 'old'\nSELECT 1")).toBe(`-- ALTER ROLE x PASSWORD ${R}\nSELECT 1`);
    expect(redactSecrets("SELECT 1 /* a /* nested */ PASSWORD 'cc' */")).toBe(`SELECT 1 /* a /* nested */ PASSWORD ${R} */`);
  });

  it('redacts to the end of a statement that was cut off inside the password', () => {
    expect(redactSecrets("ALTER ROLE x PASSWORD 'hunter2 and the rest was trunc")).toBe("ALTER ROLE x PASSWORD '[REDACTED]");
  });

  it('redacts a password column value', () => {
    expect(redactSecrets("UPDATE users SET password = 'it''s' WHERE id = 1")).toBe(`UPDATE users SET password = ${R} WHERE id = 1`);
  });
});

describe('redactSecrets: connection strings', () => {
  it.each([
    ["SELECT dblink_connect('host=db password=pw123 user=x')", "SELECT dblink_connect('host=db password=[REDACTED] user=x')"],
    ["SELECT dblink_connect('host=db password=''a b\\''c'' user=x')", "SELECT dblink_connect('host=db password=''[REDACTED]'' user=x')"],
    ["CREATE SUBSCRIPTION s CONNECTION 'host=h dbname=d password = s3cret' PUBLICATION p", "CREATE SUBSCRIPTION s CONNECTION 'host=h dbname=d password = [REDACTED]' PUBLICATION p"],
    ["CREATE SUBSCRIPTION s CONNECTION 'postgres://rep:top%40secret@h/db?sslmode=require' PUBLICATION p", "CREATE SUBSCRIPTION s CONNECTION 'postgres://rep:[REDACTED]@h/db?sslmode=require' PUBLICATION p"],
    ["SELECT 'postgresql://h/db?user=u&password=pw9&sslmode=require'", "SELECT 'postgresql://h/db?user=u&password=[REDACTED]&sslmode=require'"],
    ["SELECT 'DefaultEndpointsProtocol=https;AccountName=a;AccountKey=abc+/==;EndpointSuffix=core.windows.net'", "SELECT 'DefaultEndpointsProtocol=https;AccountName=a;AccountKey=[REDACTED];EndpointSuffix=core.windows.net'"],
    ["SELECT 'endpoint=https://x.communication.azure.com/;accesskey=QUJDRA=='", "SELECT 'endpoint=https://x.communication.azure.com/;accesskey=[REDACTED]'"],
    ["SELECT 'BlobEndpoint=https://a.blob.core.windows.net/;SharedAccessSignature=sv=2022&ss=b&sig=abc%2F'", "SELECT 'BlobEndpoint=https://a.blob.core.windows.net/;SharedAccessSignature=[REDACTED]'"],
    ["COPY t FROM PROGRAM 'curl https://a.blob.core.windows.net/c/f?sv=2020&sig=abc%2Fdef&se=1'", "COPY t FROM PROGRAM 'curl https://a.blob.core.windows.net/c/f?sv=2020&sig=[REDACTED]&se=1'"],
    ['Server=db;Database=x;User Id=u;Password=pa ss;Port=5432', 'Server=db;Database=x;User Id=u;Password=[REDACTED] ss;Port=5432'],
  ])('%s', (input, expected) => {
    expect(redactSecrets(input)).toBe(expected);
  });

  it('leaves text without secrets exactly as it was', () => {
    for (const text of [
      "SELECT 'no secrets', $1, \"password\" FROM t WHERE a = E'\\n' -- it's fine",
      'SELECT a$b$c, $1 FROM "odd ""name"""',
      "SELECT $fn$ body with 'quotes' $fn$, U&'d\\0061t\\+000061', B'101', X'1F', N'x'",
      "GRANT dba_admins TO mallory;",
      'SELECT * FROM http://example.com:8080/path@x',
    ]) {
      expect(redactSecrets(text)).toBe(text);
    }
  });
});

/** The SQL spellings of a string value. */
const literal = {
  standard: (v: string) => `'${v.replace(/'/g, "''")}'`,
  escape: (v: string) => `E'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`,
  dollar: (v: string) => {
    let tag = 'pw';
    // The closing tag must not appear earlier, not even straddling the value's end.
    while ((v + `$${tag}$`).indexOf(`$${tag}$`) !== v.length) tag += 'x';
    return `$${tag}$${v}$${tag}$`;
  },
};
const libpqQuote = (v: string) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

// Printable passwords, at least 6 characters so they cannot hide inside the surrounding SQL by chance.
const password = fc
  .stringMatching(/^[\x21-\x7e ]{6,24}$/)
  .filter((p) => p.trim() === p && !/REDACTED/i.test(p));

describe('redactSecrets properties', () => {
  const templates: [string, (p: string) => string][] = [
    ['role, standard', (p) => `GRANT a TO b; CREATE ROLE c LOGIN PASSWORD ${literal.standard(p)} VALID UNTIL 'infinity';`],
    ['role, E string', (p) => `ALTER ROLE c ENCRYPTED PASSWORD ${literal.escape(p)}`],
    ['role, dollar', (p) => `ALTER ROLE c PASSWORD ${literal.dollar(p)}`],
    ['user mapping', (p) => `CREATE USER MAPPING FOR c SERVER s OPTIONS (user 'c', password ${literal.standard(p)})`],
    ['libpq conninfo', (p) => `SELECT dblink_connect(${literal.standard(`host=h password=${libpqQuote(p)} dbname=d`)})`],
    ['URI', (p) => `CREATE SUBSCRIPTION s CONNECTION ${literal.standard(`postgres://u:${encodeURIComponent(p)}@h/db`)} PUBLICATION p`],
    ['nested EXECUTE', (p) => `DO ${literal.dollar(`BEGIN EXECUTE ${literal.standard(`ALTER ROLE c PASSWORD ${literal.standard(p)}`)}; END`)}`],
  ];

  it.each(templates)('a random password never survives: %s', (_name, template) => {
    fc.assert(
      fc.property(password, (p) => {
        const sql = template(p);
        fc.pre(!template('\u0000').includes(p));
        const out = redactSecrets(sql);
        expect(out).not.toContain(p);
        expect(out).not.toContain(encodeURIComponent(p));
        expect(out).toContain('[REDACTED]');
      }),
      { numRuns: Number(process.env.REDACT_RUNS ?? 300) },
    );
  });

  it('is idempotent, on SQL-like soup', () => {
    const piece = fc.constantFrom(
      "'", "''", '"', '$$', '$t$', 'E', "E'", '\\', '\\\'', '--', '\n', '/*', '*/', ' ', ';', '=', '(', ')',
      'PASSWORD', 'password=', 'AccountKey=', 'sig=', 'postgres://u:p@h', 'host=h ', 'x', 'ab', '[REDACTED]',
      '||', '%L', ',', 'format(', 'set_config(', "'app.token'", 'TO', 'SET', '$1', '::text', 'pgp_sym_encrypt(', '"password"', ':',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }).map((a) => a.join('')), (text) => {
        const once = redactSecrets(text);
        expect(redactSecrets(once)).toBe(once);
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws and keeps the text without secrets, for any string', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        const out = redactSecrets(text);
        if (!/password|passwd|pwd|key|sig|:\/\//i.test(text)) expect(out).toBe(text);
      }),
      { numRuns: 1000 },
    );
  });
});
