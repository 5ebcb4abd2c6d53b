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

describe('scan with a rule that cannot fire', () => {
  it('warns first thing, naming the rules and the empty list, and not when --list fills it', async () => {
    const plain = await runCliCapture(['scan', '--input', `${AZURE}/azure-diagnostics.ndjson`, '--dry-run', '--json']);
    expect(plain.code).toBe(0);
    const lines = plain.stderr.split('\n');
    expect(lines[0]).toMatch(/^warning: config\/rules\.yaml: rule "sensitive-table-read" \(rules\[4\]\)\.match\.object\.list: list "sensitive_tables" is empty, so this rule cannot fire: fill in lists\.sensitive_tables/);
    expect(lines[1]).toMatch(/^warning: config\/rules\.yaml: rule "sensitive-table-privilege-granted" .*list "sensitive_tables" is empty/);
    // service-account-takeover needs service_accounts as sensitive-table rules need sensitive_tables.
    const filled = await runCliCapture(['scan', '--input', `${AZURE}/azure-diagnostics.ndjson`, '--dry-run', '--json', ...LISTS, '--list', 'service_accounts=etl_loader']);
    expect(filled.stderr).not.toContain('is empty');
  });
});

describe('scan --input sending, with no destination configured', () => {
  it('exits 1 before scanning, naming the settings and the rules key to set', async () => {
    const run = await runCliCapture(['scan', '--input', `${AZURE}/azure-diagnostics.ndjson`, ...LISTS]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('pgaudit-alerts scan: no destination is configured, so alerts would go nowhere: set SLACK_CHANNEL');
    expect(run.stderr).toContain('or define destinations: in the rules file (AUDIT_RULES_PATH, default config/rules.yaml)');
    expect(run.stderr).not.toMatch(/^scan: /m);
    expect(run.stdout).toBe('');
  });
});

describe('check-rules', () => {
  it('accepts the default pack', async () => {
    const run = await runCliCapture(['check-rules']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^config\/rules\.yaml: OK, \d+ rules, \d+ examples behave as stated, 3 warning\(s\)\n$/);
    // The shipped sensitive_tables is empty on purpose: a warning naming each rule and the list, exit 0.
    expect(run.stderr.trim().split('\n').map((l) => l.replace(/ \(line \d+\)$/, ''))).toEqual([
      'warning: config/rules.yaml: rule "sensitive-table-read" (rules[4]).match.object.list: list "sensitive_tables" is empty, '
        + 'so this rule cannot fire: fill in lists.sensitive_tables (or try values first with scan --list sensitive_tables=a,b)',
      'warning: config/rules.yaml: rule "sensitive-table-privilege-granted" (rules[5]).match.statement.mentions.list: list "sensitive_tables" is empty, '
        + 'so this rule cannot fire: fill in lists.sensitive_tables (or try values first with scan --list sensitive_tables=a,b)',
      'warning: config/rules.yaml: rule "service-account-takeover" (rules[10]).match.statement.mentions.list: list "service_accounts" is empty, '
        + 'so this rule cannot fire: fill in lists.service_accounts (or try values first with scan --list service_accounts=a,b)',
    ]);
  });

  it('rejects a class or command pgAudit never logs, with did-you-mean, and warnings do not hide errors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rules-'));
    const file = join(dir, 'typos.yaml');
    writeFileSync(file, 'version: 1\nlists:\n  tables: []\nrules:\n  - id: a\n    severity: low\n    match: { class: DLL, command: "DROP TABEL" }\n    falsepositives: [none known]\n'
      + '  - id: b\n    severity: low\n    match: { class: READ, object: { list: tables } }\n    falsepositives: [none known]\n');
    const run = await runCliCapture(['check-rules', file]);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([
      `warning: ${file}: rule "b" (rules[1]).match.object.list: list "tables" is empty, so this rule cannot fire: fill in lists.tables (or try values first with scan --list tables=a,b) (line 11)`,
      `${file}: rule "a" (rules[0]).match.class: "DLL" is not a class pgAudit logs (did you mean "DDL"?) (line 7)`,
      `${file}: rule "a" (rules[0]).match.command: "DROP TABEL" is not a command tag PostgreSQL 13–17 logs (did you mean "DROP TABLE"?) (line 7)`,
      `${file}: 2 problem(s) found`,
    ]);
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
