import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runCliCapture } from '../../support/runCliCapture';

/**
 * `doctor` on real PostgreSQL 15 + pgaudit logs (scripts/generate-doctor-fixtures.sh): a server that logs
 * only DDL, without connection lines or %u, and one with pgaudit.log_relation off; and the demo day,
 * whose server logs what the default pack needs.
 */
const DIR = 'test/fixtures/doctor';
const LISTS = ['--list', 'sensitive_tables=sales.payment_cards', '--list', 'service_accounts=etl_loader,app_web'];
const NOW = new Date('2026-12-02T10:01:09.252Z');
const prefixOf = (name: string) => readFileSync(`${DIR}/${name}/prefix.txt`, 'utf8');

/** `rule → reasons` of every rule the report says cannot fire. */
function cannotFire(stdout: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const m of stdout.matchAll(/^ {4}CANNOT FIRE {2}([a-z0-9-]+): (.*)$/gm)) found[m[1]!] = m[2]!;
  return found;
}

const NO_USER = (where: string) =>
  `needs the user (${where}) but connection lines are not logged (log_connections = off) and the log_line_prefix "%m [%p] " has no %u`;
const BOTH = 'exception "service_accounts", exception "platform_accounts"';
const PLATFORM = 'exception "platform_accounts"';

describe('pgaudit-alerts doctor --input', () => {
  it('on a server logging only DDL, without connection lines or %u, names every rule that cannot fire and why; exit 1', async () => {
    const run = await runCliCapture(['doctor', '--input', `${DIR}/ddl-only/postgresql.log`, '--prefix', prefixOf('ddl-only'), ...LISTS], { now: NOW });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('  pgAudit classes:   DDL (9); not seen: READ, WRITE, FUNCTION, ROLE, MISC, MISC_SET\n');
    expect(run.stdout).toContain('  connection lines:  none (log_connections = off?)\n');
    expect(run.stdout).toContain('  identity:          user unknown, database unknown, application unknown, client unknown\n');
    expect(run.stdout).toContain('  log_relation:      unknown (no READ/WRITE statement that names a table was logged)\n');
    expect(run.stdout).toContain('  log_line_prefix:   "%m [%p] "\n');
    expect(run.stdout).toContain('  newest record:     2026-12-02T09:01:09.252Z (60 min old)\n');
    const notLogged = (cls: string) => `needs class ${cls}, which this server does not log (it logs DDL)`;
    expect(cannotFire(run.stdout)).toEqual({
      'drop-object': NO_USER(BOTH),
      'truncate-table': `${notLogged('WRITE (TRUNCATE TABLE)')}; ${NO_USER(BOTH)}`,
      'role-membership-granted': `${notLogged('ROLE (ALTER ROLE, CREATE ROLE, GRANT ROLE)')}; ${NO_USER(PLATFORM)}`,
      'powerful-role-attribute': `${notLogged('ROLE (ALTER ROLE, CREATE ROLE)')}; ${NO_USER(PLATFORM)}`,
      'sensitive-table-read': `${notLogged('READ')}; ${NO_USER('except[0], except[1]')}`,
      'sensitive-table-privilege-granted': `${notLogged('ROLE (ALTER DEFAULT PRIVILEGES, GRANT)')}; ${NO_USER(PLATFORM)}`,
      'audit-settings-changed': NO_USER(PLATFORM),
      'audit-settings-changed-by-function': NO_USER(PLATFORM),
      'pgaudit-extension-removed': NO_USER(PLATFORM),
      'server-logging-changed': NO_USER(PLATFORM),
      'service-account-takeover': `${notLogged('ROLE (ALTER ROLE)')}; ${NO_USER(`except[0], ${PLATFORM}`)}`,
    });
    expect(run.stderr).toContain('doctor: 1 server, 11 enabled rules: 11 cannot fire');
  });

  it('the same server\'s csvlog carries the user: only the rules needing classes it does not log cannot fire', async () => {
    const run = await runCliCapture(['doctor', '--input', `${DIR}/ddl-only/postgresql.csv`, ...LISTS], { now: NOW });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('  identity:          user known, database known, application known, client known\n');
    expect(Object.keys(cannotFire(run.stdout)).sort()).toEqual([
      'powerful-role-attribute', 'role-membership-granted', 'sensitive-table-privilege-granted', 'sensitive-table-read',
      'service-account-takeover', 'truncate-table',
    ]);
    expect(run.stdout).toMatch(/^ {4}ok {11}drop-object$/m);
  });

  it('reads what a rule needs from its own conditions: a user condition needs the user, { not: } does not', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'doctor-rules-'));
    writeFileSync(join(dir, 'rules.yaml'), [
      'version: 1',
      'rules:',
      '  - { id: any-drop, severity: high, match: { command: "DROP *" }, falsepositives: [x] }',
      '  - { id: mallory-ddl, severity: high, match: { class: DDL, user: dba_mallory }, falsepositives: [x] }',
      '  - { id: not-etl-ddl, severity: high, match: { class: DDL, user: { not: etl_loader } }, falsepositives: [x] }',
      '  - { id: reads, severity: high, match: { command: [SELECT, COPY] }, falsepositives: [x] }',
      '  - { id: off, enabled: false, severity: high, match: { class: READ }, falsepositives: [x] }',
      '  - { id: elsewhere, severity: high, match: { class: READ, server: pg-prod-2 }, falsepositives: [x] }',
      '',
    ].join('\n'));
    const run = await runCliCapture(['doctor', '--input', `${DIR}/ddl-only/postgresql.log`, '--prefix', prefixOf('ddl-only'), '--server', 'pg-prod-1', '--rules', join(dir, 'rules.yaml')], { now: NOW });
    expect(run.code).toBe(1);
    expect(cannotFire(run.stdout)).toEqual({
      'mallory-ddl': NO_USER('match'),
      reads: 'needs class READ or WRITE (COPY, SELECT), which this server does not log (it logs DDL)',
    });
    expect(run.stdout).toMatch(/^ {4}ok {11}any-drop$/m);
    expect(run.stdout).toMatch(/^ {4}ok {11}not-etl-ddl$/m);
    // A rule for another server is not judged on this one (it would need READ, which this one lacks).
    expect(run.stdout).toMatch(/^ {4}n\/a {10}elsewhere \(its server condition leaves this server out\)$/m);
    expect(run.stdout, 'a disabled rule is not judged').not.toMatch(/^ {4}(ok|CANNOT FIRE) +off\b/m);

    writeFileSync(join(dir, 'ok.yaml'), 'version: 1\nrules:\n  - { id: any-drop, severity: high, match: { command: "DROP *" }, falsepositives: [x] }\n');
    const ok = await runCliCapture(['doctor', '--input', `${DIR}/ddl-only/postgresql.log`, '--rules', join(dir, 'ok.yaml')], { now: NOW });
    expect(ok.code).toBe(0);
    expect(ok.stderr).toContain('every rule can fire on what is logged');
  });

  it('with pgaudit.log_relation off, the rule that needs table names on READ lines cannot fire, on evidence', async () => {
    const run = await runCliCapture(['doctor', '--input', `${DIR}/no-log-relation/postgresql.log`, '--prefix', prefixOf('no-log-relation'), ...LISTS], { now: NOW });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('  pgAudit classes:   READ (3), WRITE (4), ROLE (8), DDL (9), MISC_SET (2, SET/RESET); not seen: FUNCTION, MISC\n');
    expect(run.stdout).toContain('  connection lines:  logged (6)\n');
    expect(run.stdout).toContain('  log_relation:      looks off (5 READ/WRITE statements that name a table were logged without it)\n');
    expect(cannotFire(run.stdout)).toEqual({
      'sensitive-table-read': 'needs the table name on its READ lines, but pgaudit.log_relation looks off (5 READ/WRITE statements that name a table were logged without it)',
    });
  });

  it('on the demo day every default rule can fire (exit 0); an empty sensitive_tables is named', async () => {
    const demo = ['doctor', '--input', 'test/fixtures/demo/azure-diagnostics.ndjson', '--list', 'service_accounts=etl_loader,migrations,app_web'];
    const run = await runCliCapture([...demo, '--list', 'sensitive_tables=sales.payment_cards'], { now: NOW });
    expect(run.stdout).toContain('server pg-demo-1\n');
    expect(run.stdout).toContain('  log_relation:      looks on (103 READ/WRITE statements name their table)\n');
    expect(cannotFire(run.stdout)).toEqual({});
    expect(run.code).toBe(0);
    const empty = await runCliCapture(demo, { now: NOW });
    expect(empty.code).toBe(1);
    expect(Object.keys(cannotFire(empty.stdout))).toEqual(['sensitive-table-read', 'sensitive-table-privilege-granted']);
    expect(empty.stdout).toContain('sensitive-table-read: list "sensitive_tables" is empty');
  });

  it('--since reads only the recent window: nothing in the last hour of a day-old file', async () => {
    const run = await runCliCapture(['doctor', '--input', 'test/fixtures/demo/azure-diagnostics.ndjson', '--since', 'PT1H', ...LISTS], { now: NOW });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('since 2026-12-02T09:01:09.252Z');
    expect(run.stdout).toContain('  newest record:     none\n');
    expect(run.stdout).toContain('drop-object: needs class DDL or ROLE, which this server does not log (no pgAudit records from it were read)');
  });

  it('refuses what it cannot do, naming the option or setting (exit 1)', async () => {
    const cases: [string[], RegExp][] = [
      [['--input', 'x.log', '--source', 'log-analytics'], /--source and --input exclude each other/],
      [['--source', 'elsewhere'], /--source "elsewhere" is not a polled source; use one of log-analytics, storage/],
      [['--source', 'storage'], /--source storage needs the setting ARCHIVE_STORAGE_ACCOUNT/],
      [[], /no polled source is configured \(log-analytics: LOGS_WORKSPACE_ID .*; to check a file instead, use --input FILE/],
      [['--input', `${DIR}/ddl-only/postgresql.log`, '--since', '1h'], /--since: "1h" is not an ISO 8601 duration/],
      [['--source', 'log-analytics'], /--source log-analytics needs the setting LOGS_WORKSPACE_ID/],
    ];
    for (const [args, message] of cases) {
      const run = await runCliCapture(['doctor', ...args]);
      expect(run.code, args.join(' ')).toBe(1);
      expect(run.stderr).toMatch(message);
    }
  });
});

// The fixtures regenerated on a real server give the same verdicts. Two clusters take 6–15 s, more than the
// suite's time budget allows on every run: run it with DOCTOR_REGENERATE=1 (needs PostgreSQL 15 + pgaudit)
// after changing the parser or scripts/fixtures/doctor/.
const installed = existsSync('/usr/lib/postgresql/15/bin/postgres') && existsSync('/usr/share/postgresql/15/extension/pgaudit.control');
describe.skipIf(process.env.DOCTOR_REGENERATE !== '1')('doctor fixtures regenerated on a real server', () => {
  it('give the same report, rule by rule', async () => {
    expect(installed, 'install postgresql-15 and postgresql-15-pgaudit').toBe(true);
    const parent = mkdtempSync(join(tmpdir(), 'pgaudit-doctor-regen-'));
    chmodSync(parent, 0o755); // the server runs as `postgres` when the tests run as root
    try {
      const out = join(parent, 'out');
      await promisify(execFile)('bash', [resolve(__dirname, '../../../scripts/generate-doctor-fixtures.sh'), out], { env: { ...process.env, TMPDIR: parent }, timeout: 100_000 });
      for (const [name, file] of [['ddl-only', 'postgresql.log'], ['ddl-only', 'postgresql.csv'], ['no-log-relation', 'postgresql.log']] as const) {
        const args = (dir: string) => ['doctor', '--input', join(dir, name, file), '--prefix', prefixOf(name), ...LISTS];
        const [committed, fresh] = await Promise.all([runCliCapture(args(DIR)), runCliCapture(args(out))]);
        // Times and counts of lines may differ; the classes seen, the evidence and every verdict may not.
        const shape = (text: string) => text.split('\n').filter((l) => !/newest record|^doctor:/.test(l)).join('\n');
        expect(fresh.code, `${name}/${file}`).toBe(committed.code);
        expect(shape(fresh.stdout), `${name}/${file}`).toBe(shape(committed.stdout));
      }
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  }, 120_000);
});
