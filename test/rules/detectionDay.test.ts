import { createReadStream, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { alertsForEvent } from '../../shared/match/alertsForEvent';
import { parseAuditLog } from '../../shared/merge/parseAuditLog';
import type { AuditEvent } from '../../shared/model/AuditEvent';
import { loadRules } from '../../shared/rules/loadRules';

/**
 * A day of disguised incidents and benign work from a real PostgreSQL 15 + pgaudit
 * (scripts/generate-detection-fixtures.sh, scripts/fixtures/detection/*.sql). Every statement by
 * dba_mallory is an incident (incidents.sql, one session per statement); everything else is benign
 * work: migrations, ETL, the application's foreign-key checks, a DBA's routine, Azure's maintenance.
 */
const DIR = 'test/fixtures/detection';
const LISTS = { sensitive_tables: ['sales.payment_cards', 'hr.*'], service_accounts: ['etl_loader', 'migrations', 'app_web'] };

async function day() {
  const ruleSet = await loadRules('config/rules.yaml', process.cwd(), { lists: LISTS });
  const prefix = readFileSync(`${DIR}/prefix.txt`, 'utf8').replace(/\n$/, '');
  const stream = parseAuditLog(createReadStream(`${DIR}/postgresql.log`), { prefix });
  const events: AuditEvent[] = [];
  for await (const e of stream.events) events.push(e);
  return { events, summary: stream.summary(), fired: events.map((e) => ({ event: e, rules: alertsForEvent(ruleSet, e).map((a) => a.rule) })) };
}

/** incidents.sql's markers that pgaudit does not log: it writes a SET's record after the SET took effect. */
const NOT_LOGGED = ['set-quoted-pgaudit-log', 'set-upper-quoted', 'session-log-min-messages'];

describe('the detection day (real PostgreSQL 15 + pgaudit)', () => {
  it('alerts on every incident', async () => {
    const { fired } = await day();
    const incidents = fired.filter((f) => f.event.user === 'dba_mallory');
    const statements = readFileSync('scripts/fixtures/detection/incidents.sql', 'utf8').split('\n').filter((l) => l.trim() !== '' && !l.startsWith('--'));
    expect(incidents).toHaveLength(statements.length - NOT_LOGGED.length);
    const silent = incidents.filter((f) => f.rules.length === 0).map((f) => f.event.statement);
    expect(silent).toEqual([]);
  });

  it('names the incident the right way', async () => {
    const { fired } = await day();
    const ruleOf = (marker: string) => fired.find((f) => f.event.statement?.includes(`incident:${marker}*/`))?.rules;
    expect(ruleOf('alter-group-add-user')).toEqual(['role-membership-granted']);
    expect(ruleOf('create-role-admin')).toEqual(['role-membership-granted']);
    expect(ruleOf('unicode-superuser')).toEqual(['powerful-role-attribute']);
    expect(ruleOf('set-spaced-log-relation')).toEqual(['audit-settings-changed']);
    expect(ruleOf('set-config-e-string')).toEqual(['audit-settings-changed-by-function']);
    expect(ruleOf('function-pgaudit-log')).toEqual(['audit-settings-changed']);
    expect(ruleOf('system-logging-collector')).toEqual(['server-logging-changed']);
    expect(ruleOf('system-reset-all')).toEqual(['server-logging-changed']);
    expect(ruleOf('role-log-min-messages')).toEqual(['server-logging-changed']);
    expect(ruleOf('grant-all-tables-in-schema')).toEqual(['sensitive-table-privilege-granted']);
    expect(ruleOf('default-privileges')).toEqual(['sensitive-table-privilege-granted']);
    expect(ruleOf('grant-unicode-table')).toEqual(['sensitive-table-privilege-granted']);
    expect(ruleOf('service-valid-until')).toEqual(['service-account-takeover']);
    expect(ruleOf('service-rename')).toEqual(['service-account-takeover']);
    const password = fired.find((f) => f.event.user === 'dba_mallory' && f.event.statement === 'ALTER ROLE etl_loader PASSWORD <REDACTED>');
    expect(password?.rules).toEqual(['service-account-takeover']);
  });

  it('stays quiet on all benign work', async () => {
    const { fired } = await day();
    const benign = fired.filter((f) => f.event.user !== 'dba_mallory');
    expect(new Set(benign.map((f) => f.event.user))).toEqual(new Set(['migrations', 'app_web', 'etl_loader', 'azuresu', 'dba_alice']));
    expect(benign.filter((f) => f.rules.length > 0).map((f) => `${f.event.user}: ${f.event.statement} → ${f.rules.join(', ')}`)).toEqual([]);
  });

  it('does not claim log_relation is off: its objectless READ lines are COPY, cursors, PREPARE and SELECT * FROM f()', async () => {
    const { events, summary } = await day();
    expect(events.some((e) => e.class === 'READ' && e.objects.length === 0 && /^DECLARE c CURSOR/.test(e.statement ?? ''))).toBe(true);
    expect(events.some((e) => e.class === 'READ' && e.objects.length === 0 && e.statement === 'SELECT * FROM public.list_days();')).toBe(true);
    expect(summary.readWriteWithoutObject).toBe(0);
  });
});
