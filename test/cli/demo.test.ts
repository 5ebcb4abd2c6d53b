import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../shared/model/Alert';
import { runCliCapture } from '../support/runCliCapture';

/** The arguments `npm run demo` passes to the CLI, read from package.json so the two cannot drift. */
function demoArgs(): string[] {
  const script = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts.demo!;
  const cli = script.split('node dist/shared/cli/main.js ')[1];
  expect(cli, 'npm run demo runs the built CLI').toBeDefined();
  return cli!.trim().split(/\s+/);
}

/**
 * The demo day (test/fixtures/demo/README.md): benign ETL, migration, application and Azure platform
 * traffic, and dba_mallory's incidents. With the default pack (sensitive_tables and service_accounts
 * filled for the sample) exactly the incidents alert.
 */
const EXPECTED = [
  ['sensitive-table-read', 'SELECT * FROM sales.payment_cards;'],
  ['sensitive-table-read', 'INSERT INTO mine SELECT * FROM sales.payment_cards;'],
  ['role-membership-granted', 'GRANT app_admin TO dba_mallory;'],
  ['powerful-role-attribute', 'ALTER ROLE dba_mallory CREATEROLE;'],
  ['powerful-role-attribute', 'CREATE ROLE backdoor LOGIN SUPERUSER PASSWORD <REDACTED>'],
  ['sensitive-table-privilege-granted', 'GRANT SELECT ON sales.payment_cards TO backdoor;'],
  ['audit-settings-changed', 'RESET pgaudit.log;'],
  ['drop-object', 'DROP TABLE sales.old_orders;'],
  ['truncate-table', 'TRUNCATE sales.orders;'],
  ['drop-object', 'DROP TABLE mine;'],
].map(([rule, statement]) => `${rule} | ${statement}`);

describe('npm run demo', () => {
  it('shows the incidents of the demo day in human-readable form', async () => {
    const run = await runCliCapture(demoArgs());
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('[CRITICAL] Role membership granted');
    expect(run.stdout).toContain('dba_mallory');
    expect(run.stdout).toContain('203.0.113.77');
    expect(run.stderr).toMatch(/scan: \d+ rows read, \d+ events, 10 alerts, 0 duplicates skipped, 0 malformed rows/);
    // The demo server has log_relation on: TRUNCATE and SELECTs without FROM carry no table, and that is not a warning.
    expect(run.stderr).not.toMatch(/log_relation is off/);
  });

  it('alerts on exactly the incidents, by dba_mallory, and on nothing benign', async () => {
    const run = await runCliCapture([...demoArgs(), '--json']);
    expect(run.code).toBe(0);
    const alerts = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as Alert);
    expect(alerts.map((a) => `${a.rule} | ${a.event.statement}`)).toEqual(EXPECTED);
    for (const a of alerts) {
      expect(a.event.user).toBe('dba_mallory');
      expect(a.event.application).toBe('psql');
      expect(a.event.client).toBe('203.0.113.77');
      expect(a.event.database).toBe('shopdb');
      expect(a.event.server).toBe('pg-demo-1');
    }
    expect(run.stdout).not.toContain('hunter2');
  });

  it('with empty tuning lists, the service accounts\' routine work would alert (the lists matter)', async () => {
    const args = demoArgs().filter((a, i, all) => a !== '--list' && all[i - 1] !== '--list');
    const run = await runCliCapture([...args, '--json', '--list', 'sensitive_tables=sales.payment_cards']);
    const alerts = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as Alert);
    expect(alerts.some((a) => a.event.user === 'etl_loader' && a.rule === 'truncate-table')).toBe(true);
    expect(alerts.some((a) => a.event.user === 'etl_loader' && a.rule === 'sensitive-table-read')).toBe(true);
    // Azure's own maintenance account stays quiet either way.
    expect(alerts.some((a) => a.event.user === 'azuresu')).toBe(false);
  });
});
