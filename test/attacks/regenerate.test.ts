import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Expectations, inputPath, readExpectations, scanFile } from './attackFixtures';
import { believedForgeries, benignAlerts, missingIncidents, unreportedForgeries } from './attackVerdicts';

// Regenerates the attack fixtures from a real PostgreSQL 15 + pgaudit (scripts/generate-attack-fixtures.sh)
// and checks that the fresh logs give the same verdicts as the committed ones. Skipped only on a developer
// machine without the server; in CI (CI=true) a missing server makes this fail, since .ci/run installs it.
const POSTGRES = '/usr/lib/postgresql/15/bin/postgres';
const PGAUDIT = '/usr/share/postgresql/15/extension/pgaudit.control';
const SCRIPT = resolve(__dirname, '../../scripts/generate-attack-fixtures.sh');
const installed = existsSync(POSTGRES) && existsSync(PGAUDIT);
const skip = !installed && process.env.CI !== 'true';
const title = skip
  ? `attack fixtures regenerated on a real server (SKIPPED: ${POSTGRES} or ${PGAUDIT} missing; install postgresql-15 postgresql-15-pgaudit)`
  : 'attack fixtures regenerated on a real server';

/** The scenario's verdicts without what changes from run to run (times, pids, session ids). */
function verdicts(exp: Expectations) {
  return {
    files: exp.files,
    sessions: exp.sessions.map(({ truth, ...s }) => ({ ...s, users: Object.fromEntries(Object.entries(truth).map(([run, t]) => [run, [t.user, t.database]])) })),
    secrets: exp.secrets,
  };
}

describe.skipIf(skip)(title, () => {
  let parent = '';
  let out = '';
  let fresh: Expectations;

  beforeAll(async () => {
    parent = mkdtempSync(join(tmpdir(), 'pgaudit-attack-regen-'));
    chmodSync(parent, 0o755); // the server runs as `postgres` when the tests run as root
    out = join(parent, 'out');
    await promisify(execFile)('bash', [SCRIPT, out], { env: { ...process.env, TMPDIR: parent }, timeout: 280_000 });
    fresh = readExpectations(out);
  }, 300_000);

  afterAll(() => {
    if (parent) rmSync(parent, { recursive: true, force: true });
  });

  it('stops its clusters and removes its work directories', () => {
    expect(readdirSync(parent)).toEqual(['out']);
  });

  it('the fresh run logged the same sessions, incidents (with their statement ids), forgeries and secrets', () => {
    expect(verdicts(fresh)).toEqual(verdicts(readExpectations()));
  });

  it('every format of the fresh logs gives the verdicts the committed fixtures must give', async () => {
    const work = join(parent, 'plain');
    const problems: string[] = [];
    for (const f of fresh.files) {
      const run = await scanFile(inputPath(out, f, work), f, fresh);
      const found = [
        ...missingIncidents(run.alerts, f, fresh),
        ...benignAlerts(run.alerts, f, fresh),
        ...believedForgeries(run.alerts, f, fresh),
        ...unreportedForgeries(run.alerts, run.stderr, f, fresh),
      ];
      problems.push(...found.map((p) => `${f.file}: ${p}`));
    }
    expect(problems).toEqual([]);
  }, 120_000);
});
