import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../shared/model/Alert';
import { runCliCapture } from '../../support/runCliCapture';

const AZURE = 'test/fixtures/pg15/azure';
const LISTS = ['--list', 'sensitive_tables=sales.cards'];
const parseAlerts = (stdout: string): Alert[] => stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Alert);

/** The passwords the fixture scenario sets (scripts/fixtures/scenario.sql). */
const PASSWORDS = ['reader-secret-1', "writer,secret'2", 'rotated-secret-3', 'leaked-secret-4', 'hunter2'];

describe('scan --input --dry-run --json over real pgAudit output (Azure rows, %t-%c-)', async () => {
  const run = await runCliCapture(['scan', '--input', `${AZURE}/azure-diagnostics.ndjson`, '--dry-run', '--json', ...LISTS]);
  const alerts = parseAlerts(run.stdout);
  const find = (rule: string, statement: RegExp) => alerts.filter((a) => a.rule === rule && statement.test(a.event.statement ?? ''));

  it('exits 0 with a one-line summary on stderr', () => {
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^scan: 271 rows read, 162 events, \d+ alerts, 0 duplicates skipped, 0 malformed rows$/m);
  });

  it('prints one Alert per line with a stable key', () => {
    for (const a of alerts) {
      expect(Object.keys(a).slice(0, 5)).toEqual(['rule', 'severity', 'title', 'event', 'key']);
      expect(a.key).toBe(`pg-fixture-1/${a.event.sessionId}/${a.event.statementId}/${a.event.substatementId}/${a.rule}`);
    }
    expect(new Set(alerts.map((a) => a.key)).size).toBe(alerts.length);
  });

  it('catches the incidents in the scenario, with the user from the connection line', () => {
    expect(find('role-membership-granted', /^GRANT app_admin TO mallory/)).toHaveLength(1);
    expect(find('role-membership-granted', /^GRANT app_admin TO backdoor/)).toHaveLength(1);
    expect(find('truncate-table', /^TRUNCATE sales\.orders/)).toHaveLength(1);
    expect(find('drop-object', /^DROP SCHEMA sales CASCADE/)).toHaveLength(1);
    expect(find('drop-object', /^DROP ROLE backdoor/)).toHaveLength(1);
    expect(find('audit-settings-changed', /^ALTER SYSTEM SET pgaudit\.log/)).toHaveLength(1);
    expect(find('audit-settings-changed', /^ALTER ROLE app_reader SET pgaudit\.log/)).toHaveLength(1);
    expect(find('sensitive-table-privilege-granted', /^GRANT SELECT ON sales\.cards TO auditor/)).toHaveLength(1);
    const grant = find('role-membership-granted', /^GRANT app_admin TO mallory/)[0]!;
    expect(grant.event.user).toBe('postgres');
    expect(grant.event.database).toBe('shop');
    expect(grant.severity).toBe('critical');
  });

  it('never prints a password, not even the one pgaudit left in a multi-statement GRANT', () => {
    expect(find('role-membership-granted', /^GRANT app_admin TO app_writer ; CREATE ROLE temp_leak LOGIN PASSWORD '\[REDACTED\]'/)).toHaveLength(1);
    for (const secret of PASSWORDS) {
      expect(run.stdout).not.toContain(secret);
      expect(run.stderr).not.toContain(secret);
    }
  });

  it('gives the same alerts from the server\'s own stderr, csvlog and jsonlog files', async () => {
    const keys = (list: Alert[]) => list.map((a) => `${a.event.sessionId}/${a.event.statementId}/${a.event.substatementId}/${a.rule}`).sort();
    for (const file of ['postgresql.log', 'postgresql.csv', 'postgresql.json']) {
      const other = await runCliCapture(['scan', '--input', `${AZURE}/${file}`, '--dry-run', '--json', ...LISTS]);
      expect(other.code, file).toBe(0);
      expect(keys(parseAlerts(other.stdout)), file).toEqual(keys(alerts));
    }
  });
});

describe('scan --input --dry-run (human output)', () => {
  it('shows severity, title, who, where, what and the statement', async () => {
    const run = await runCliCapture(['scan', '--input', `${AZURE}/azure-diagnostics.ndjson`, '--dry-run', ...LISTS]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/CRITICAL/);
    expect(run.stdout).toContain('Role membership granted');
    expect(run.stdout).toContain('GRANT app_admin TO mallory');
    expect(run.stdout).toContain('postgres');
    expect(run.stdout).toContain('pg-fixture-1');
  });
});

describe('scan warnings and errors', () => {
  it('warns when READ/WRITE events carry no table name (pgaudit.log_relation off)', async () => {
    const run = await runCliCapture(['scan', '--input', `${AZURE}/azure-diagnostics.ndjson`, '--dry-run', '--json']);
    expect(run.stderr).toMatch(/READ\/WRITE events carry no table name: pgaudit\.log_relation is off.*pgaudit\.log_relation = on/);
  });

  it('names a rules file with problems and exits 1 without a stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rules-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'version: 1\nrules:\n  - id: x\n    severity: loud\n    match: { clas: READ }\n');
    const run = await runCliCapture(['scan', '--input', `${AZURE}/postgresql.log`, '--dry-run', '--rules', file]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${file}: rule "x" (rules[0]).severity: must be one of`);
    expect(run.stderr).toContain(`${file}: rule "x" (rules[0]).match.clas: unknown key "clas"`);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 1 for a missing input file, naming it', async () => {
    const run = await runCliCapture(['scan', '--input', 'no/such/file.log', '--dry-run']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('no/such/file.log');
  });

  it('counts malformed rows and goes on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rows-'));
    const file = join(dir, 'rows.ndjson');
    const good = readFileSync(`${AZURE}/azure-diagnostics.ndjson`, 'utf8').split('\n').filter(Boolean);
    writeFileSync(file, [good.slice(0, 100).join('\n'), '{"Message": "truncated', 'not json at all', ...good.slice(100)].join('\n'));
    const run = await runCliCapture(['scan', '--input', file, '--dry-run', '--json', '--format', 'azure-diagnostics']);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/2 malformed rows/);
    expect(run.stderr).toContain('rows.ndjson:101');
    expect(parseAlerts(run.stdout).length).toBeGreaterThan(10);
  });

  it('--json needs --dry-run', async () => {
    const run = await runCliCapture(['scan', '--input', `${AZURE}/postgresql.log`, '--json']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('--dry-run');
  });
});

describe('check-rules', () => {
  it('accepts the default pack', async () => {
    const run = await runCliCapture(['check-rules']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^config\/rules\.yaml: OK, \d+ rules, \d+ examples behave as stated\n$/);
  });

  it('lists every problem and exits 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rules-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'version: 1\nrules:\n  - id: a\n    severity: low\n    match: { user: { list: nope } }\n    falsepositives: [none known]\n  - id: a\n    severity: low\n    match: { class: READ }\n    notify: [nowhere]\n    falsepositives: [none known]\n');
    const run = await runCliCapture(['check-rules', file]);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([
      `${file}: rule "a" (rules[0]).match.user.list: unknown list "nope" (the file defines no lists) (line 5)`,
      `${file}: rule "a" (rules[1]).id: duplicate id, also used by rules[0] (line 7)`,
      `${file}: rule "a" (rules[1]).notify[0]: unknown destination "nowhere" (the file defines no destinations) (line 10)`,
      `${file}: 3 problem(s) found`,
    ]);
  });

  it('names a missing file', async () => {
    const run = await runCliCapture(['check-rules', 'missing.yaml']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('missing.yaml: cannot read the rules file (no such file)');
  });
});
