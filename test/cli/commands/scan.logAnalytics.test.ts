import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../../shared/model/Alert';
import { useAzuriteTable } from '../../support/azurite';
import { startFakeLogAnalytics, type FakeLogAnalytics } from '../../support/fakeLogAnalytics';
import { startFakeManagedIdentity, type FakeManagedIdentity } from '../../support/fakeManagedIdentity';
import { startFakeSlack, type FakeSlack } from '../../support/fakeSlack';
import { TABLE_SCHEMAS } from '../../support/tableSchemas';
import { runCliCapture } from '../../support/runCliCapture';

/**
 * Black box: the built `pgaudit-alerts scan` (the timer's code path) run as separate processes, with
 * nothing but settings, against local stand-ins for the managed-identity endpoint, Log Analytics and
 * Slack, and Azurite for state. Rows of the demo day arrive late, out of order and in bursts; the
 * workspace throttles and has only one of the two tables; two runs overlap; one run is killed while
 * it sends. Every expected alert must arrive in Slack exactly once (counted from message metadata).
 */
const CLI = 'dist/shared/cli/main.js';
const FIXTURE = 'test/fixtures/demo/azure-diagnostics.ndjson';
const LISTS = ['--list', 'sensitive_tables=sales.payment_cards', '--list', 'service_accounts=etl_loader,migrations,app_web'];
const ROWS = readFileSync(FIXTURE, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
const MINUTE = 60_000;

const azurite = useAzuriteTable();
let identity: FakeManagedIdentity;
let la: FakeLogAnalytics;
let slack: FakeSlack;
let expected: string[];

beforeAll(async () => {
  expect(existsSync(CLI), 'npm test builds dist/ before running the tests').toBe(true);
  identity = await startFakeManagedIdentity();
  // The workspace has only the legacy AzureDiagnostics table (LOGS_TABLE=auto must cope).
  la = await startFakeLogAnalytics({ identity, schemas: { AzureDiagnostics: TABLE_SCHEMAS.AzureDiagnostics! } });
  slack = await startFakeSlack();
  const file = await runCliCapture(['scan', '--input', FIXTURE, '--dry-run', '--json', ...LISTS]);
  expected = file.stdout.trim().split('\n').map((l) => (JSON.parse(l) as Alert).key).sort();
  expect(expected).toHaveLength(10);
});

afterAll(async () => {
  await slack?.close();
  await la?.close();
  await identity?.close();
});

function env(): Record<string, string> {
  const keep = ['PATH', 'HOME', 'NODE_EXTRA_CA_CERTS', 'TMPDIR'];
  return {
    ...Object.fromEntries(keep.flatMap((k) => (process.env[k] ? [[k, process.env[k]!]] : []))),
    IDENTITY_ENDPOINT: identity.endpoint,
    IDENTITY_HEADER: identity.identityHeader,
    LOGS_WORKSPACE_ID: la.workspaceId,
    LOGS_ENDPOINT: la.endpoint,
    AzureWebJobsStorage: azurite().connectionString,
    SLACK_BOT_TOKEN: slack.token,
    SLACK_API_URL: slack.apiUrl,
    SLACK_CHANNEL: '#db-security',
    SCAN_SETTLE_DELAY: 'PT1M',
    SCAN_INITIAL_LOOKBACK: 'PT2H',
    // A killed run's in-flight alerts are retried once its lease ends; short here so the test need not wait 10 minutes.
    SCAN_DELIVERY_LEASE: 'PT3S',
  };
}

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** One `pgaudit-alerts scan` process; `killWhen` is polled and the process SIGKILLed once it holds. */
function scan(killWhen?: () => boolean, settings: Record<string, string | undefined> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const merged = Object.fromEntries(Object.entries({ ...env(), ...settings }).filter((e): e is [string, string] => e[1] !== undefined));
    const child = spawn(process.execPath, [CLI, 'scan', ...LISTS], { env: merged, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    const poll = killWhen ? setInterval(() => killWhen() && child.kill('SIGKILL'), 2) : null;
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (poll) clearInterval(poll);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Adds demo rows [from, to) as arriving `agoMs` before now, logged three minutes before they arrived. */
function arrive(from: number, to: number, agoMs: number) {
  const at = Date.now() - agoMs;
  la.addRows('AzureDiagnostics', ROWS.slice(from, to).map((r) => ({ ...r, TimeGenerated: new Date(at - 3 * MINUTE), ingestedAt: new Date(at) })));
}

const slackKeys = () => slack.posts.flatMap((p) => p.metadata?.event_payload.alerts ?? []).map((a) => a.key);

// Each test starts several CLI processes one after another; on a busy shared machine that outlasts the
// default 30 s (55 s seen at load 14 on 2 cores) without anything being wrong.
describe('pgaudit-alerts scan against Log Analytics, Slack and Azurite stand-ins', { timeout: 180_000 }, () => {
  it('delivers every alert exactly once across late rows, throttling, overlapping runs and a killed run', async () => {
    const third = Math.floor(ROWS.length / 3);
    // Burst 1 arrived 40 minutes ago, burst 3 before burst 2 (out of order).
    arrive(0, third, 40 * MINUTE);
    arrive(2 * third, ROWS.length, 30 * MINUTE);
    la.faults.push({ status: 429 }, { status: 504 });
    const first = await scan();
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/scan: window .* rows read, \d+ events, \d+ alerts/);

    // Burst 2 arrives late (its rows were logged long before); two runs start at once, and Slack throttles.
    arrive(third, 2 * third, 2 * MINUTE);
    slack.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
    const [a, b] = await Promise.all([scan(), scan()]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);

    // Whatever was delivered so far, nothing twice.
    expect(new Set(slackKeys()).size).toBe(slackKeys().length);
    // A later run finds nothing new.
    const idle = await scan();
    expect(idle.code, idle.stderr).toBe(0);
    expect(slackKeys().sort()).toEqual(expected);
  });

  it('never sends twice when a run is killed after Slack accepted a message', async () => {
    const before = slack.posts.length;
    // The same incidents again, as a second server whose rows just arrived.
    la.addRows('AzureDiagnostics', ROWS.map((r) => ({
      ...r, LogicalServerName_s: 'pg-demo-2', ResourceId: String(r.ResourceId).replace('PG-DEMO-1', 'PG-DEMO-2'),
      TimeGenerated: new Date(Date.now() - 5 * MINUTE), ingestedAt: new Date(Date.now() - 2 * MINUTE),
    })));
    const killed = await scan(() => slack.posts.length > before);
    expect(killed.signal).toBe('SIGKILL');
    // Until the killed run's lease ends, its alerts are its own: a run now must not resend them...
    const early = await scan();
    expect(early.code, early.stderr).toBe(0);
    expect(new Set(slackKeys()).size).toBe(slackKeys().length);
    await new Promise((r) => setTimeout(r, 3500));
    // ...afterwards the outbox sends what was not sent, after checking the channel's history for the rest.
    const next = await scan();
    expect(next.code, next.stderr).toBe(0);
    const second = slackKeys().filter((k) => k.startsWith('pg-demo-2/'));
    expect(second.sort()).toEqual(expected.map((k) => k.replace(/^pg-demo-1\//, 'pg-demo-2/')));
    expect(new Set(second).size).toBe(second.length);
  });

  it('puts no token, key or password in any request, log line or message', () => {
    const everything = [
      ...slack.requests.map((r) => r.body),
      ...la.queries.map((q) => q.query),
    ].join('\n');
    expect(everything).not.toContain('hunter2');
    expect(everything).not.toContain('Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq');
    for (const post of slack.posts) {
      expect(post.unfurl_links === false || post.unfurl_links === 'false').toBe(true);
      expect(post.unfurl_media === false || post.unfurl_media === 'false').toBe(true);
    }
  });

  it('exits 1 naming the settings when no destination is configured, and loses nothing: the next run sends it all', async () => {
    // A server of its own (PG_SERVERS gives it its own watermark), its rows just arrived.
    const server = { PG_SERVERS: 'pg-demo-3' };
    la.addRows('AzureDiagnostics', ROWS.map((r) => ({
      ...r, LogicalServerName_s: 'pg-demo-3', ResourceId: String(r.ResourceId).replace('PG-DEMO-1', 'PG-DEMO-3'),
      TimeGenerated: new Date(Date.now() - 5 * MINUTE), ingestedAt: new Date(Date.now() - 2 * MINUTE),
    })));
    const before = slack.posts.length;
    const nowhere = await scan(undefined, { ...server, SLACK_BOT_TOKEN: undefined, SLACK_CHANNEL: undefined });
    expect(nowhere.code).toBe(1);
    expect(nowhere.stderr).toContain('no destination is configured, so alerts would go nowhere: set SLACK_CHANNEL (with SLACK_BOT_TOKEN) '
      + 'or SLACK_WEBHOOK_URL, and/or EMAIL_TO (with EMAIL_FROM and ACS_CONNECTION_STRING or ACS_ENDPOINT), or define destinations:');
    expect(nowhere.stderr).toMatch(/FAILED/);
    expect(slack.posts.length).toBe(before);

    const configured = await scan(undefined, server);
    expect(configured.code, configured.stderr).toBe(0);
    const third = slackKeys().filter((k) => k.startsWith('pg-demo-3/'));
    expect(third.sort()).toEqual(expected.map((k) => k.replace(/^pg-demo-1\//, 'pg-demo-3/')));
  });
});
