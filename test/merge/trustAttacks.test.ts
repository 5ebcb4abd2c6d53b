import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../shared/model/Alert';
import { runCliCapture } from '../support/runCliCapture';

/**
 * Issue 10, items 1–4: the attacks of an ordinary login (`mallory`, CREATEROLE) and of look-alike roles,
 * run on a real PostgreSQL 15 + pgaudit 1.7 (scripts/generate-trust-fixtures.sh, scripts/fixtures/trust/),
 * in every format the server wrote and Azure ships, scanned with the default rules:
 * - RAISE LOG 'connection authorized: user=etl ...' and the same text as a syntax error's STATEMENT line;
 * - forged AUDIT records with the next statement id: a frame (DROP TABLE sales.orders that never ran), a
 *   merge hijack (forged CREATE ROLE text before the real CREATE ROLE backdoor CREATEROLE), a duplicate-key
 *   swallow (forged id 3 before the real DROP of id 3), a foreign-key-check disguise before a card read;
 * - a hand-written card read shaped like a foreign-key check (set_config(..., string_agg(pan)) in WHERE);
 * - application_name '] LOG:  AUDIT: SESSION,1,1,MISC,SET,,,"' under a prefix with %a;
 * - roles "Etl", "etl ", "etl database=x" and "еtl" (Cyrillic е) passing as the service account etl;
 * and the benign traffic they hide in (etl's routine work with a WARNING from a DO block and a failing
 * statement in the same second, the application's inserts with PostgreSQL's own foreign-key checks).
 */
const DIR = 'test/fixtures/trust';
const LISTS = ['--list', 'sensitive_tables=sales.payment_cards', '--list', 'service_accounts=etl,app_web'];

const FORMATS: [file: string, format: string][] = [
  ['azure/postgresql.log', 'stderr'],
  ['azure/postgresql.csv', 'csvlog'],
  ['azure/postgresql.json', 'jsonlog'],
  ['azure/azure-diagnostics.ndjson', 'azure-diagnostics'],
  ['azure/azure-diagnostics.reversed.ndjson', 'azure-diagnostics'],
  ['azure/pgsql-server-logs.ndjson', 'pgsql-server-logs'],
  ['azure/log-analytics-response.json', 'pgsql-server-logs'],
  ['azure/azure-blob.PT1H.json', 'azure-blob'],
  ['user-db-app/postgresql.log', 'stderr'],
  ['user-db-app/postgresql.csv', 'csvlog'],
  ['user-db-app/postgresql.json', 'jsonlog'],
];

async function scan(file: string, format: string, prefix = readFileSync(join(DIR, file.split('/')[0]!, 'prefix.txt'), 'utf8')): Promise<{ alerts: Alert[]; stderr: string }> {
  const run = await runCliCapture(['scan', '--input', file.startsWith('/') ? file : join(DIR, file), '--format', format, '--prefix', prefix, '--dry-run', '--json', ...LISTS]);
  expect(run.code, run.stderr).toBe(0);
  return { alerts: run.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Alert), stderr: run.stderr };
}

const fired = (alerts: Alert[], rule: string, statement: string) => alerts.filter((a) => a.rule === rule && a.event.statement === statement && a.event.trust !== 'forged');

/** The incidents, each of which must alert with its real user whatever was forged around it. */
const INCIDENTS: [rule: string, statement: string, user: string][] = [
  ['drop-object', 'DROP TABLE public.mallory_a1;', 'mallory'], // after a RAISE'd connection line
  ['drop-object', 'DROP TABLE public.mallory_a2;', 'mallory'], // after a STATEMENT-line connection line
  ['powerful-role-attribute', 'CREATE ROLE backdoor LOGIN CREATEROLE;', 'mallory'], // merge hijack
  ['drop-object', 'DROP TABLE public.mallory_important;', 'mallory'], // duplicate-key swallow
  ['sensitive-table-read', 'SELECT pan FROM sales.payment_cards;', 'mallory'], // FK-check disguise
  [
    'sensitive-table-read',
    "SELECT 1 FROM ONLY \"sales\".\"payment_cards\" x WHERE set_config('app.loot', (SELECT string_agg(pan, '|') FROM sales.payment_cards), false) IS NOT NULL FOR KEY SHARE OF x",
    'mallory',
  ],
  ['role-membership-granted', 'GRANT app_admin TO "mallory";', 'mallory'], // application_name rewrite
  ['drop-object', 'DROP TABLE public."t_upper";', 'Etl'],
  ['drop-object', 'DROP TABLE public."t_space";', 'etl '],
  ['drop-object', 'DROP TABLE public."t_cyrillic";', '\u0435tl'],
];

/** Benign statements: none may alert. */
const BENIGN = ['DROP TABLE public.etl_stage;', 'SELECT pan FROM sales.payment_cards WHERE id = 1;', 'DROP TABLE public."t_etl";'];
const FK_CHECK = 'SELECT 1 FROM ONLY "sales"."payment_cards" x WHERE "id" OPERATOR(pg_catalog.=) $1 FOR KEY SHARE OF x';

/** The forged records' texts (a log-forgery alert each, where the format lets the parser prove it). */
const FORGED = [
  'connection authorized: user=etl database=shop application_name=etl-nightly',
  'AUDIT: SESSION,1,1,DDL,DROP TABLE,TABLE,sales.orders,DROP TABLE sales.orders,<not logged>',
  'AUDIT: SESSION,1,1,ROLE,CREATE ROLE,,,CREATE ROLE reporting_ro NOLOGIN,<none>',
  'AUDIT: SESSION,3,1,DDL,DROP TABLE,TABLE,public.mallory_scratch,DROP TABLE public.mallory_scratch,<not logged>',
];

describe.each(FORMATS)('trust attacks on a real PostgreSQL 15 + pgaudit 1.7: %s', (file, format) => {
  it('every incident alerts, with the real user, whatever was forged around it', async () => {
    const { alerts } = await scan(file, format);
    for (const [rule, statement, user] of INCIDENTS) {
      const hits = fired(alerts, rule, statement);
      expect(hits.length, `${rule} for ${statement}`).toBeGreaterThanOrEqual(1);
      for (const a of hits) expect(a.event.user, `${rule} for ${statement}`).toBe(user);
    }
    // A role whose name shifts the connection line's fields is the role itself (where a column or %u
    // says so), or a contested identity: never the service account etl.
    const shifted = fired(alerts, 'drop-object', 'DROP TABLE public."t_shift";');
    expect(shifted).toHaveLength(1);
    expect(shifted[0]!.event.user === 'etl database=x' || shifted[0]!.event.identity === 'contested').toBe(true);
  });

  it('benign traffic does not alert: the service account, the application and its foreign-key checks', async () => {
    const { alerts } = await scan(file, format);
    for (const statement of [...BENIGN, FK_CHECK]) {
      const benign = alerts.filter((a) => a.event.statement === statement && (a.event.user === 'etl' || a.event.user === 'app_web'));
      expect(benign.map((a) => `${a.rule}: ${a.event.user}`), statement).toEqual([]);
    }
    // No alert is attributed to etl: its own work is exempt, and no forged line made anyone else etl.
    expect(alerts.filter((a) => a.event.user === 'etl' && a.event.identity !== 'contested').map((a) => `${a.rule}: ${a.event.statement}`)).toEqual([]);
  });

  it('forged records raise log-forgery alerts naming the session and its real user, and are counted', async () => {
    const { alerts, stderr } = await scan(file, format);
    const forgery = alerts.filter((a) => a.rule === 'log-forgery');
    for (const a of forgery) {
      expect(a.severity).toBe('critical');
      expect(a.event.trust).toBe('forged');
      expect(a.event.user).toBe('mallory');
      expect(a.title).toContain(a.event.sessionId!);
    }
    const texts = forgery.map((a) => a.event.statement);
    for (const text of FORGED) expect(texts, text).toContain(text);
    expect(stderr).toMatch(/\d+ forged log records/);
    // Forged records never reach the rules: the frame (a DROP of sales.orders that never ran) is not a drop-object alert.
    expect(fired(alerts, 'drop-object', 'DROP TABLE sales.orders').filter((a) => a.event.trust === undefined)).toEqual([]);
  });
});

describe('trust attacks: formats where only some evidence survives', () => {
  const dir = mkdtempSync(join(tmpdir(), 'trust-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('AzureDiagnostics without the STATEMENT rows (a RAISE whose text was built at run time): unverified, never merged, every incident alerts', async () => {
    const rows = readFileSync(join(DIR, 'azure/azure-diagnostics.ndjson'), 'utf8').split('\n').filter((l) => l !== '' && !l.includes('-STATEMENT:  '));
    const path = join(dir, 'no-statements.ndjson');
    writeFileSync(path, rows.join('\n') + '\n');
    const { alerts } = await scan(path, 'azure-diagnostics', '%t-%c-');
    for (const [rule, statement] of INCIDENTS) expect(fired(alerts, rule, statement).length, `${rule} for ${statement}`).toBeGreaterThanOrEqual(1);
    // The forged CREATE ROLE text never replaced the real one: both are events of their own.
    const hijack = alerts.filter((a) => a.rule === 'powerful-role-attribute');
    expect(hijack.map((a) => a.event.statement)).toEqual(['CREATE ROLE backdoor LOGIN CREATEROLE;']);
    // The forged and the real statement 3 have different keys: neither swallowed the other.
    const drops = alerts.filter((a) => a.rule === 'drop-object' && a.event.sessionId === alerts.find((x) => x.event.statement === 'DROP TABLE public.mallory_important;')!.event.sessionId);
    expect(new Set(drops.map((a) => a.key)).size).toBe(drops.length);
    expect(drops.map((a) => a.event.statement).sort()).toEqual(['DROP TABLE public.mallory_important;', 'DROP TABLE public.mallory_scratch']);
  });
});
