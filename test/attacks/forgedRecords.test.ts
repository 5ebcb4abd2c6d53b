import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../shared/model/Alert';
import { ATTACK_FIXTURES, inputPath, readExpectations, scanFile } from './attackFixtures';
import { believedForgeries, benignAlerts, missingIncidents, unreportedForgeries } from './attackVerdicts';

/**
 * Issue 10 on real PostgreSQL 15 + pgaudit 1.7 output (test/fixtures/attacks, scripts/generate-attack-fixtures.sh):
 * benign traffic and one session per attack (forged connection / disconnection / AUDIT records through RAISE,
 * syntax errors, application_name and embedded newlines; look-alike roles; the foreign-key exception abused),
 * in every format the attack reaches. The truth (real user, session) comes from the server's jsonlog columns.
 */
const exp = readExpectations();
let tmp = '';
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'pgaudit-attacks-'));
});
afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe.each(exp.files.map((f) => [f.file, f] as const))('attacks in %s', (_name, f) => {
  let alerts: Alert[] = [];
  let stderr = '';
  let code = -1;
  beforeAll(async () => {
    const run = await scanFile(inputPath(ATTACK_FIXTURES, f, tmp), f, exp);
    ({ alerts, stderr, code } = run);
  }, 60_000);

  it('the scan completes', () => {
    expect({ code, stackTrace: /\n\s+at /.test(stderr) }).toEqual({ code: 0, stackTrace: false });
  });

  it('every incident alerts, in its session, with the user PostgreSQL knows', () => {
    expect(missingIncidents(alerts, f, exp)).toEqual([]);
  });

  it('benign traffic raises nothing', () => {
    expect(benignAlerts(alerts, f, exp)).toEqual([]);
  });

  it('no alert believes a forged or look-alike identity, nobody is framed', () => {
    expect(believedForgeries(alerts, f, exp)).toEqual([]);
  });

  it('forged records are reported as forgery: an alert per forging session and a count in the summary', () => {
    expect(unreportedForgeries(alerts, stderr, f, exp)).toEqual([]);
  });
});

describe('the attack fixtures', () => {
  it('cover every attack in every format the product reads', () => {
    expect(new Set(exp.files.map((f) => `${f.format} ${f.prefix ?? ''}`))).toEqual(new Set([
      'stderr %t-%c-', 'stderr %m [%p] [user=%u,db=%d,app=%a] ', 'csvlog ', 'jsonlog ', 'azure-diagnostics %t-%c-', 'pgsql-server-logs %t-%c-', 'azure-blob %t-%c-',
    ]));
    const attacks = exp.sessions.filter((s) => s.kind === 'attack');
    expect(attacks.length).toBeGreaterThanOrEqual(20);
    for (const s of attacks) expect(s.incidents.length, s.id).toBeGreaterThan(0);
    for (const s of exp.sessions) expect(Object.keys(s.truth).sort(), s.id).toEqual(['azure', 'user-db-app']);
    expect(exp.sessions.filter((s) => s.forgery !== 'none').length).toBeGreaterThanOrEqual(10);
  });
});
