import { describe, expect, it } from 'vitest';
import type { Alert } from '../../shared/model/Alert';
import { redactAlert } from '../../shared/redact/redactAlert';
import { AMBIGUOUS_REST, redactSecrets, redactStatement } from '../../shared/redact/redactSecrets';

const R = "'[REDACTED]'";

describe('redactSecrets: the forms that used to slip through', () => {
  it.each([
    ["CREATE SERVER s FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host 'h', sslpassword 'sek1', sslkey '/k')", `CREATE SERVER s FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host 'h', sslpassword ${R}, sslkey '/k')`],
    ["ALTER SERVER s OPTIONS (ADD sslpassword 'sek2', SET password_required 'false')", `ALTER SERVER s OPTIONS (ADD sslpassword ${R}, SET password_required 'false')`],
    ["SELECT set_config('app.password', 'sek3', false)", `SELECT set_config('app.password', ${R}, false)`],
    ["SELECT pg_catalog.set_config('app.api_token', 'a' || 'sek4', false), set_config('search_path', 'public', false)", `SELECT pg_catalog.set_config('app.api_token', ${R} || ${R}, false), set_config('search_path', 'public', false)`],
    ["ALTER SYSTEM SET ssl_passphrase_command = 'echo sek5'", `ALTER SYSTEM SET ssl_passphrase_command = ${R}`],
    ["ALTER DATABASE d SET app.secret TO 'sek6'", `ALTER DATABASE d SET app.secret TO ${R}`],
    ['SET app.token = sek7', 'SET app.token = [REDACTED]'],
    ["DO $$BEGIN EXECUTE format('ALTER ROLE %I PASSWORD %L', 'bob', 'sek8'); END$$", `DO $$BEGIN EXECUTE format('ALTER ROLE %I PASSWORD %L', ${R}, ${R}); END$$`],
    ["SELECT format('CREATE ROLE x PASSWORD ''%s''', 'sek9')", `SELECT format('CREATE ROLE x PASSWORD ''[REDACTED]''', ${R})`],
    ["DO $x$ BEGIN EXECUTE 'ALTER ROLE bob PASSWORD ' || quote_literal('sek10'); END $x$", `DO $x$ BEGIN EXECUTE 'ALTER ROLE bob PASSWORD ' || quote_literal(${R}); END $x$`],
    ["CREATE ROLE \"Bob \"\"x\"\"\" ENCRYPTED PASSWORD U&'sek\\0072it' LOGIN", `CREATE ROLE "Bob ""x""" ENCRYPTED PASSWORD ${R} LOGIN`],
    ["SELECT pgp_sym_encrypt('data', 'sek11'), pgp_sym_decrypt(col, 'sek12') FROM t", `SELECT pgp_sym_encrypt('data', ${R}), pgp_sym_decrypt(col, ${R}) FROM t`],
    ["SELECT dblink_connect('host=h user=u password=' || 'sek13')", `SELECT dblink_connect('host=h user=u password=' || ${R})`],
    ["INSERT INTO cfg VALUES ('{\"password\": \"sek14\", \"user\": \"x\"}')", "INSERT INTO cfg VALUES ('{\"password\": ''[REDACTED]'', \"user\": \"x\"}')"],
    ["COPY t FROM PROGRAM 'curl -H \"Authorization: Bearer sek15abcdef\" https://x'", "COPY t FROM PROGRAM 'curl -H \"Authorization: Bearer [REDACTED]\" https://x'"],
    ["SELECT 'SCRAM-SHA-256$4096:c2FsdA==$c3RvcmVk:c2VydmVy', 'md5' || 'x', 'md50123456789abcdef0123456789abcdef'", "SELECT '[REDACTED]', 'md5' || 'x', '[REDACTED]'"],
    ["SELECT azure_storage.account_add('acct', 'sek16==')", `SELECT azure_storage.account_add('acct', ${R})`],
  ])('%s', (input, expected) => {
    expect(redactSecrets(input)).toBe(expected);
    expect(redactSecrets(expected)).toBe(expected);
  });

  it('keeps what only looks like a secret name', () => {
    for (const text of ['GRANT secret_readers TO bob', "SET password_encryption = 'scram-sha-256'", 'SELECT password, email FROM users', "SELECT check_password('x')", "SELECT key, value FROM kv WHERE key = 'a'"]) {
      expect(redactSecrets(text)).toBe(text);
    }
  });

  it('reads backslash strings as standard_conforming_strings = off would, when the statement only makes sense that way', () => {
    expect(redactSecrets("ALTER ROLE x PASSWORD 'pa\\'ss' VALID UNTIL 'infinity'")).toBe(`ALTER ROLE x PASSWORD ${R} VALID UNTIL 'infinity'`);
    expect(redactSecrets("ALTER ROLE x PASSWORD 'pa\\\\' VALID UNTIL 'infinity'")).toBe(`ALTER ROLE x PASSWORD ${R} VALID UNTIL 'infinity'`);
  });

  it('hides everything after the first difference when both readings are possible', () => {
    // Cut off by the log: either reading could be the true one.
    const cut = redactStatement("SELECT 1; ALTER ROLE x PASSWORD 'ab\\' ; SELECT 'sek17", false);
    expect(cut.text).toBe(`SELECT 1; ALTER ROLE x PASSWORD ${AMBIGUOUS_REST}`);
    expect(redactStatement(cut.text, false).text).toBe(cut.text);
  });

  it('names the bind parameters that carry secrets', () => {
    expect([...redactStatement('UPDATE t SET password = $1 WHERE id = $2').secretParams]).toEqual([1]);
    expect([...redactStatement("SELECT set_config('app.secret', $2::text, false), $1").secretParams]).toEqual([2]);
    expect([...redactStatement('SELECT set_config($1, $2, false)').secretParams]).toEqual([2]);
    expect([...redactStatement('SELECT pgp_sym_encrypt($1, $2)').secretParams]).toEqual([2]);
    expect([...redactStatement("SELECT format('ALTER ROLE x PASSWORD %L', $3)").secretParams]).toEqual([3]);
    expect([...redactStatement("SELECT set_config('search_path', $1, false)").secretParams]).toEqual([]);
  });
});

describe('redactAlert hides secret parameters and every other database string', () => {
  it('hides the whole value of a parameter in a secret position', () => {
    const alert: Alert = {
      rule: 'r', severity: 'high', title: 't', key: 'k',
      event: {
        server: 's', sessionId: '1.2', pid: 1, time: null, user: 'u', database: 'd', application: 'host=h password=sek18', client: null,
        auditType: 'SESSION', statementId: 1, substatementId: 1, class: 'MISC', command: 'SELECT', objects: [{ type: 'TABLE', name: 'public.t' }], lines: [],
        statement: "SELECT set_config('app.password', $1, false), $2", parameters: ['sek19 with spaces', 'dbname=x password=sek20'], rows: null,
      },
    };
    const out = redactAlert(alert);
    expect(out.event.parameters).toEqual(['[REDACTED]', 'dbname=x password=[REDACTED]']);
    expect(out.event.application).toBe('host=h password=[REDACTED]');
    expect(JSON.stringify(out)).not.toMatch(/sek1[89]|sek20/);
    expect(redactAlert(out)).toEqual(out);
  });
});

describe('redactSecrets: secret columns of an INSERT', () => {
  it('hides the VALUES at the positions of secret columns, in every row', () => {
    expect(redactSecrets("INSERT INTO app.users (name, password_hash, api_token) VALUES ('ann', 'h1', 't1'), ('bob', 'h2', 't2')")).toBe(
      `INSERT INTO app.users (name, password_hash, api_token) VALUES ('ann', ${R}, ${R}), ('bob', ${R}, ${R})`,
    );
    expect([...redactStatement('INSERT INTO users ("Password", name) VALUES ($1, $2)').secretParams]).toEqual([1]);
    expect(redactSecrets("INSERT INTO users (name, email) VALUES ('ann', 'a@x'); SELECT ('x', 'y')")).toBe("INSERT INTO users (name, email) VALUES ('ann', 'a@x'); SELECT ('x', 'y')");
  });
});
