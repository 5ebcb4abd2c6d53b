import { execFile } from 'node:child_process';
import { chmodSync, createReadStream, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../shared/model/AuditEvent';
import { collectEvents } from '../support/collectEvents';
import { compareEvents } from '../support/compareEvents';
import { fixtureCases } from '../support/fixtureCases';
import { expectedEvents, readJsonlogFile } from '../support/jsonlogExpectations';

// Regenerates the fixtures from a real PostgreSQL 15 + pgaudit (scripts/generate-fixtures.sh) and checks the
// fresh logs the same way as the committed ones. Skipped only on a developer machine without the server;
// in CI (CI=true) a missing server makes this fail, since .ci/run installs it.
const POSTGRES = '/usr/lib/postgresql/15/bin/postgres';
const PGAUDIT = '/usr/share/postgresql/15/extension/pgaudit.control';
const SCRIPT = resolve(__dirname, '../../scripts/generate-fixtures.sh');
const installed = existsSync(POSTGRES) && existsSync(PGAUDIT);
const skip = !installed && process.env.CI !== 'true';
const title = skip
  ? `real server regeneration (SKIPPED: ${POSTGRES} or ${PGAUDIT} missing; install postgresql-15 postgresql-15-pgaudit)`
  : 'real server regeneration';

describe.skipIf(skip)(title, () => {
  let parent = '';
  let out = '';
  const runs = ['azure', 'user-db-app', 'pid'];
  const parsed = new Map<string, AuditEvent[]>();

  beforeAll(async () => {
    parent = mkdtempSync(join(tmpdir(), 'pgaudit-regen-'));
    chmodSync(parent, 0o755); // the server runs as `postgres` when the tests run as root
    out = join(parent, 'out');
    await promisify(execFile)('bash', [SCRIPT, out], { env: { ...process.env, TMPDIR: parent }, timeout: 170_000 });
  }, 180_000);

  afterAll(() => {
    if (parent) rmSync(parent, { recursive: true, force: true });
  });

  it('stops its cluster and removes its work directory', () => {
    expect(readdirSync(parent)).toEqual(['out']);
  });

  it.each(runs)('%s: every format matches the jsonlog-derived expectation', async (run) => {
    const dir = join(out, run);
    const records = readJsonlogFile(join(dir, 'postgresql.json'));
    for (const c of fixtureCases(dir, 'regen')) {
      const { events, summary } = await collectEvents(createReadStream(c.file), { format: c.format, prefix: c.prefix ?? undefined, server: 'regen' });
      const expected = expectedEvents(records, c.keep);
      expect({ file: basename(c.file), problems: compareEvents(events, expected, c.traits) }).toEqual({ file: basename(c.file), problems: [] });
      expect(summary).toMatchObject({ malformed: 0, truncated: 0, events: expected.length });
      parsed.set(`${run}/${basename(c.file)}`, events);
    }
  });

  it('the fresh run exercised what the scenario is for', () => {
    const events = parsed.get('azure/azure-diagnostics.ndjson')!;
    const commands = new Set(events.map((e) => e.command));
    for (const c of ['GRANT ROLE', 'ALTER ROLE', 'CREATE ROLE', 'ALTER SYSTEM', 'ALTER DATABASE', 'TRUNCATE TABLE', 'DROP SCHEMA', 'DROP TABLE', 'DO', 'EXECUTE', 'RESET']) {
      expect(commands).toContain(c);
    }
    expect(events.some((e) => e.auditType === 'OBJECT')).toBe(true);
    expect(events.some((e) => e.rows !== null)).toBe(true);
    expect(events.filter((e) => e.parameters !== null && e.parameters.length > 1).length).toBeGreaterThan(3);
    expect(new Set(events.map((e) => e.sessionId)).size).toBeGreaterThan(6);
    expect(new Set(events.map((e) => e.application))).toEqual(
      new Set(['fixture-setup', 'reporting', 'reporting-2', 'shop-web', 'pgbench-extended', 'fixture-teardown']),
    );
    const long = parsed.get('user-db-app/postgresql.log')!.find((e) => e.objects.some((o) => o.name === 'sales.bulk') && e.command === 'INSERT');
    expect(long?.statement?.length).toBeGreaterThan(100_000);
  });
});
