import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../../shared/model/Alert';
import { startFakeAcsEmail, type FakeAcsEmail } from '../../support/fakeAcsEmail';
import { startFakeSlack, type FakeSlack } from '../../support/fakeSlack';
import { runCliCapture } from '../../support/runCliCapture';

/**
 * Black box: the built CLI scans real pgAudit output and sends to Slack and email stand-ins (driven by
 * the real Slack and ACS SDK clients) while they throttle and fail: each alert arrives once, many alerts
 * become digests, database text cannot ping or link, and no secret is in any payload.
 */
const CLI = 'dist/shared/cli/main.js';
const FIXTURE = 'test/fixtures/pg15/azure/azure-diagnostics.ndjson';
const PASSWORDS = ['reader-secret-1', "writer,secret'2", 'rotated-secret-3', 'leaked-secret-4', 'hunter2'];

let slack: FakeSlack;
let acs: FakeAcsEmail;
let rulesFile: string;
let expected: string[];

beforeAll(async () => {
  slack = await startFakeSlack();
  acs = await startFakeAcsEmail();
  rulesFile = join(mkdtempSync(join(tmpdir(), 'e2e-rules-')), 'rules.yaml');
  // The default pack, with two destinations: every rule to Slack, the critical ones also by email.
  const pack = (await import('node:fs')).readFileSync('config/rules.yaml', 'utf8');
  writeFileSync(
    rulesFile,
    pack
      .replace('\nrules:\n', '\ndestinations:\n  security: { slack: { channel: "#db-security" } }\n  dba: { email: { to: [dba-oncall@example.com] } }\nrules:\n')
      .replace(/\n    severity: critical\n/g, '\n    severity: critical\n    notify: [security, dba]\n')
      .replace(/\n    severity: high\n/g, '\n    severity: high\n    notify: [security]\n'),
  );
  const dry = await runCliCapture(['scan', '--input', FIXTURE, '--rules', rulesFile, '--dry-run', '--json', '--list', 'sensitive_tables=sales.cards']);
  expect(dry.code, dry.stderr).toBe(0);
  expected = dry.stdout.trim().split('\n').map((l) => (JSON.parse(l) as Alert).key).sort();
});

afterAll(async () => {
  await slack?.close();
  await acs?.close();
});

function run(args: string[], settings: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH ?? '',
        NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS ?? '',
        SLACK_BOT_TOKEN: slack.token,
        SLACK_API_URL: slack.apiUrl,
        ACS_CONNECTION_STRING: acs.connectionString,
        EMAIL_FROM: 'pgaudit-alerts@alerts.example.com',
        ALERT_DIGEST_THRESHOLD: '10',
        ...settings,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('pgaudit-alerts scan --input FILE, sending to Slack and email stand-ins', () => {
  it('sends every alert once through 429 and 5xx, as digests when many fire at once, with nothing secret in any payload', async () => {
    slack.failNext('chat.postMessage', { status: 429, retryAfter: 1 }, { status: 503 });
    acs.outcomeNext({ httpStatus: 500 });
    const result = await run(['scan', '--input', FIXTURE, '--rules', rulesFile, '--list', 'sensitive_tables=sales.cards']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/scan: \d+ rows read, 162 events, \d+ alerts, 0 duplicates skipped, 0 malformed rows, \d+ delivered, 0 pending, 0 parked/);

    const slackKeys = slack.posts.flatMap((p) => p.metadata?.event_payload.alerts ?? []).map((a) => a.key).sort();
    expect(slackKeys).toEqual(expected);
    // More than ALERT_DIGEST_THRESHOLD alerts for #db-security: digests, not one message per alert.
    expect(slack.posts.length).toBeLessThan(expected.length);
    expect(slack.posts[0]!.text).toMatch(/pgaudit alerts/);

    // The critical ones by email too, as one digest.
    expect(acs.delivered).toHaveLength(1);
    expect(acs.delivered[0]!.content.subject).toMatch(/^\[CRITICAL\] \d+ pgaudit alerts on pg-fixture-1/);
    expect(acs.delivered[0]!.recipients.to).toEqual([{ address: 'dba-oncall@example.com' }]);

    const payloads = [...slack.requests.map((r) => r.body), ...acs.requests.map((r) => r.body), result.stdout, result.stderr].join('\n');
    for (const secret of [...PASSWORDS, slack.token, acs.accessKey]) expect(payloads).not.toContain(secret);
  });

  it('reports a destination that refuses for good (invalid_auth) and exits 1, still delivering by email', async () => {
    slack.failAlways('chat.postMessage', 'invalid_auth');
    const before = acs.delivered.length;
    const result = await run(['scan', '--input', FIXTURE, '--rules', rulesFile, '--list', 'sensitive_tables=sales.cards']);
    slack.failAlways('chat.postMessage', null);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/destination security \(slack\) failed \(invalid_auth\)/);
    expect(result.stderr).toMatch(/\d+ parked/);
    expect(acs.delivered.length).toBeGreaterThan(before);
    expect(result.stderr).not.toContain(slack.token);
  });
});

describe('a destination with both Slack and email', () => {
  let bothRules: string;
  const slackKeysSince = (from: number) => slack.posts.slice(from).flatMap((p) => p.metadata?.event_payload.alerts ?? []).map((a) => a.key).sort();
  const emailsTo = (address: string, from: number) => acs.delivered.slice(from).filter((e) => e.recipients.to.some((t) => t.address === address));
  const missingFrom = (email: { content: { plainText?: string } }) => expected.filter((key) => !(email.content.plainText ?? '').includes(key));

  beforeAll(() => {
    bothRules = join(mkdtempSync(join(tmpdir(), 'e2e-both-')), 'rules.yaml');
    const pack = readFileSync('config/rules.yaml', 'utf8');
    writeFileSync(bothRules, pack.replace('\nrules:\n',
      '\ndestinations:\n  security: { slack: { channel: "#db-security" }, email: { to: [security@example.com] } }\nrules:\n'));
  });

  it('sends every alert to both transports once, from the rules file\'s destination or from SLACK_CHANNEL + EMAIL_TO', async () => {
    for (const [args, settings, address] of [
      [['--rules', bothRules], {}, 'security@example.com'],
      [[], { SLACK_CHANNEL: '#db-security', EMAIL_TO: 'oncall@example.com' }, 'oncall@example.com'],
    ] as const) {
      const [posts, emails] = [slack.posts.length, acs.delivered.length];
      const result = await run(['scan', '--input', FIXTURE, ...args, '--list', 'sensitive_tables=sales.cards'], settings);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toContain(`${2 * expected.length} delivered, 0 pending, 0 parked`);
      expect(slackKeysSince(posts)).toEqual(expected);
      const mail = emailsTo(address, emails);
      expect(mail).toHaveLength(1); // one digest: more than ALERT_DIGEST_THRESHOLD alerts
      expect(missingFrom(mail[0]!)).toEqual([]);
    }
  });

  it('still emails every alert when Slack refuses for good, and says so by email', async () => {
    slack.failAlways('chat.postMessage', 'channel_not_found');
    const [posts, emails] = [slack.posts.length, acs.delivered.length];
    const result = await run(['scan', '--input', FIXTURE, '--rules', bothRules, '--list', 'sensitive_tables=sales.cards']);
    slack.failAlways('chat.postMessage', null);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${expected.length} delivered, 0 pending, ${expected.length} parked`);
    expect(result.stderr).toMatch(/destination security \(slack\) failed \(channel_not_found\)/);
    expect(slack.posts.length).toBe(posts);
    const mail = emailsTo('security@example.com', emails);
    const subjects = mail.map((e) => e.content.subject);
    expect(subjects).toContainEqual(expect.stringMatching(/^\[HIGH\] Alerts to destination "security" \(slack\) are failing: channel_not_found/));
    const alertsMail = mail.find((e) => /pgaudit alerts on pg-fixture-1/.test(e.content.subject))!;
    expect(missingFrom(alertsMail)).toEqual([]);
  });
});
