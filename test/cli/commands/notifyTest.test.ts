import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notifyTestCommand, runNotifyTest } from '../../../shared/cli/commands/notifyTest';
import type { CliIO } from '../../../shared/cli/CliIO';
import { createNotifiers } from '../../../shared/notify/createNotifiers';
import { loadSettings } from '../../../shared/settings/loadSettings';
import { startFakeAcsEmail, type FakeAcsEmail } from '../../support/fakeAcsEmail';
import { startFakeSlack, type FakeSlack } from '../../support/fakeSlack';

function captureIO(env: Record<string, string>): CliIO & { out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  return { stdin: Readable.from([]), stdout, stderr, env, cwd: mkdtempSync(join(tmpdir(), 'notify-test-')), out: () => out, err: () => err };
}

describe('notify-test', () => {
  let slack: FakeSlack;
  let acs: FakeAcsEmail;
  beforeAll(async () => {
    slack = await startFakeSlack();
    acs = await startFakeAcsEmail();
  });
  afterAll(async () => {
    await slack.close();
    await acs.close();
  });

  it('sends a marked test alert to the default destination and exits 0', async () => {
    const io = captureIO({ SLACK_BOT_TOKEN: slack.token, SLACK_CHANNEL: '#db-security', SLACK_API_URL: slack.apiUrl });
    const before = slack.posts.length;
    expect(await notifyTestCommand([], io)).toBe(0);
    expect(io.out()).toBe('ok      default (slack)\n');
    const post = slack.posts[before]!;
    expect(post.text).toMatch(/^TEST \[INFO\] TEST alert from pgaudit-alerts notify-test/);
    expect(JSON.stringify(post.blocks)).toContain('Test alert from `pgaudit-alerts notify-test`');
    expect(post.metadata?.event_payload.alerts[0]?.rule).toBe('notify-test');
  });

  it('reports each destination, exits 1 when one fails, and never prints a credential', async () => {
    const env = {
      SLACK_BOT_TOKEN: slack.token, SLACK_API_URL: slack.apiUrl,
      ACS_CONNECTION_STRING: acs.connectionString, EMAIL_FROM: 'alerts@mail.example.com',
    };
    const settings = loadSettings(env);
    const destinations = [
      { name: 'security', slack: { channel: '#db-security' } },
      { name: 'nowhere', slack: { channel: '#no-such-channel' } },
      { name: 'dba', email: { to: ['dba@example.com'] } },
    ];
    const notifiers = createNotifiers(settings, destinations, { render: { test: true }, emailClientOptions: { tlsOptions: { ca: acs.ca } }, emailPoll: { intervalMs: 5 }, retry: { sleep: async () => {} } });
    const io = captureIO(env);
    expect(await runNotifyTest(settings, destinations, notifiers, io)).toBe(1);
    expect(io.out().split('\n')).toEqual([
      'ok      security (slack)',
      expect.stringMatching(/^FAILED  nowhere \(slack\): destination "nowhere" \(slack\): permanent error channel_not_found/),
      'ok      dba (email)',
      '',
    ]);
    expect(acs.delivered.at(-1)?.content.subject).toBe('TEST [INFO] TEST alert from pgaudit-alerts notify-test (no action needed) — pgaudit-alerts-notify-test');
    for (const secret of [slack.token, acs.accessKey]) expect(io.out() + io.err()).not.toContain(secret);
  });

  it('--destination picks one destination; an unknown name is a user error listing the configured ones', async () => {
    const env = { SLACK_BOT_TOKEN: slack.token, SLACK_API_URL: slack.apiUrl, SLACK_CHANNEL: '#dba' };
    const io = captureIO(env);
    expect(await notifyTestCommand(['--destination', 'default'], io)).toBe(0);
    await expect(notifyTestCommand(['--destination', 'oncall'], captureIO(env))).rejects.toThrow('--destination "oncall" is not configured; configured: default');
    await expect(notifyTestCommand([], captureIO({}))).rejects.toThrow('no destination is configured');
  });
});
