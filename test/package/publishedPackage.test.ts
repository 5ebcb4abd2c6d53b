import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import Module from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPackage, type PackageResult } from '../../scripts/package/buildPackage';
import { useAzuriteTable } from '../support/azurite';
import { extractZip } from '../support/extractZip';
import { startFakeSlack, type FakeSlack } from '../support/fakeSlack';
import { installFunctionsWorker, loadFunctionApp } from '../support/functionsWorker';
import { startHarness, type Harness } from '../support/logAnalyticsHarness';

/**
 * The deployment package exactly as `npm run package` builds it (fresh tsc output, `npm ci --omit=dev`,
 * `.funcignore` as Core Tools applies it), unpacked from the zip into a clean folder where no npm
 * install ever ran, loaded from its package.json `main` through the worker simulation with every module
 * resolved from the package's own node_modules, and run once as the timer against the local stand-ins.
 */
const FIXTURE = 'test/fixtures/pg15/azure/azure-diagnostics.ndjson';
const work = mkdtempSync(join(tmpdir(), 'pgaudit-alerts-package-'));
const appDir = join(work, 'wwwroot');
const azurite = useAzuriteTable();
let built: PackageResult;
let unpacked: string[];
let harness: Harness;
let slack: FakeSlack;
let worker: ReturnType<typeof installFunctionsWorker> | null = null;
const savedEnv = { ...process.env };

beforeAll(async () => {
  built = buildPackage({ root: process.cwd(), outDir: join(work, '.package'), zipPath: join(work, 'pgaudit-alerts.zip') });
  unpacked = extractZip(built.zipPath, appDir);
  harness = await startHarness({ table: 'auto' });
  slack = await startFakeSlack();
}, 300_000);

afterAll(async () => {
  worker?.uninstall();
  process.env = savedEnv;
  await slack?.close();
  await harness?.close();
  rmSync(work, { recursive: true, force: true });
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort();
}

describe('the published package (npm run package)', () => {
  it('zips exactly the folder it publishes from', () => {
    expect(unpacked).toEqual(built.files);
    expect(filesUnder(built.outDir)).toEqual(built.files);
    expect(filesUnder(appDir)).toEqual(built.files);
  });

  it('holds the compiled app, its config and production dependencies only', () => {
    const files = new Set(built.files);
    for (const needed of ['host.json', 'package.json', 'package-lock.json', 'config/rules.yaml', 'dist/functions/auditScan.js',
      'dist/shared/scan/runPipeline.js', 'dist/shared/source/sourceWorker.js', 'node_modules/@azure/functions/package.json']) {
      expect(files.has(needed), needed).toBe(true);
    }
    const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, { dev?: boolean }> };
    const devOnly = Object.entries(lock.packages).filter(([path, p]) => path !== '' && p.dev).map(([path]) => path);
    const production = Object.entries(lock.packages).filter(([path, p]) => path !== '' && !p.dev).map(([path]) => path);
    expect(devOnly).toContain('node_modules/vitest');
    for (const path of devOnly) expect(built.files.some((f) => f.startsWith(`${path}/`)), path).toBe(false);
    for (const path of production) expect(files.has(`${path}/package.json`), path).toBe(true);
    const manifest = JSON.parse(readFileSync(join(appDir, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest.main).toBe('dist/functions/*.js');
    expect(manifest.scripts).toBeUndefined();
  });

  it('holds no sources, tests, TypeScript, source maps, local settings or secrets', () => {
    const forbidden = /^(dist\/)?(test|bench|scripts|docs)\/|^(shared|functions)\/|(^|\/)(local\.settings[^/]*\.json|\.env[^/]*|tsconfig[^/]*\.json|\.git[^/]*|\.funcignore)$/;
    expect(built.files.filter((f) => forbidden.test(f))).toEqual([]);
    expect(built.files.filter((f) => /\.(ts|mts|cts|map)$/.test(f))).toEqual([]);
    expect(built.files.filter((f) => !f.startsWith('node_modules/') && !f.startsWith('dist/') && !f.startsWith('config/')))
      .toEqual(['host.json', 'package-lock.json', 'package.json']);
    const size = built.files.reduce((n, f) => n + statSync(join(appDir, f)).size, 0);
    expect(size).toBe(built.bytes);
  });

  it('loads from its own folder, registers the timer on %AUDIT_SCHEDULE% and alerts in Slack on one tick', async () => {
    const rows = readFileSync(FIXTURE, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    const arrived = new Date(Date.now() - 5 * 60_000);
    harness.la.addRows('AzureDiagnostics', rows.map((r) => ({ ...r, TimeGenerated: arrived, ingestedAt: arrived })));
    Object.assign(process.env, {
      AUDIT_SCHEDULE: '0 */2 * * * *',
      LOGS_WORKSPACE_ID: harness.la.workspaceId,
      LOGS_ENDPOINT: harness.la.endpoint,
      AzureWebJobsStorage: azurite().connectionString,
      SLACK_BOT_TOKEN: slack.token,
      SLACK_API_URL: slack.apiUrl,
      SLACK_CHANNEL: '#db-security',
      SCAN_SETTLE_DELAY: 'PT1M',
    });
    delete process.env.AUDIT_RULES_PATH;
    delete process.env.EVENTHUB_NAME;

    const before = new Set(Object.keys(requireCache()));
    worker = installFunctionsWorker();
    expect(loadFunctionApp(appDir)).toEqual(['dist/functions/auditScan.js', 'dist/functions/eventHubAudit.js']);
    // Every module the app loaded came from the package: its code and its own node_modules.
    const loaded = Object.keys(requireCache()).filter((k) => !before.has(k));
    expect(loaded).toContain(join(appDir, 'node_modules', '@azure', 'functions', 'dist', 'azure-functions.js'));
    expect(loaded.filter((k) => !k.startsWith(appDir + sep))).toEqual([]);

    // The Event Hubs function is loaded but registers nothing without EVENTHUB_NAME: no connection is needed.
    expect(worker.registrations.map((r) => r.metadata.name)).toEqual(['auditScan']);
    expect(Object.values(worker.registrations[0]!.metadata.bindings))
      .toEqual([expect.objectContaining({ type: 'timerTrigger', direction: 'in', schedule: '%AUDIT_SCHEDULE%' })]);

    await worker.invokeTimer('auditScan', { Schedule: { AdjustForDST: true }, ScheduleStatus: null, IsPastDue: false });
    const alerted = slack.posts.flatMap((p) => p.metadata?.event_payload.alerts ?? []).map((a) => a.key);
    // Three GRANTs. `GRANT app_admin TO app_writer ; CREATE ROLE temp_leak ...` logs the whole text for both of its
    // statements; only the GRANT ROLE record alerts: the CREATE ROLE statement grants no membership.
    expect(alerted.filter((k) => /^pg-fixture-1\/.+\/role-membership-granted$/.test(k))).toHaveLength(3);
    const summary = worker.logs.map((l) => l.message).find((m) => m.startsWith('scan: window'));
    expect(summary).toMatch(/256 rows read, 162 events, 34 alerts, .* 34 delivered, 0 pending, 0 parked/);
    expect(alerted).toHaveLength(34);
    // The token the Log Analytics stand-in accepted came from the package's own @azure/identity via the managed identity endpoint.
    expect(harness.identity.requests.some((r) => r.resource === 'https://api.loganalytics.io' && r.headerOk)).toBe(true);
  });
});

function requireCache(): Record<string, unknown> {
  return (Module as unknown as { _cache: Record<string, unknown> })._cache;
}
