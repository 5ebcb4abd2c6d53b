import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NotifyError } from '../../../shared/notify/Notifier';
import { SlackNotifier } from '../../../shared/notify/slack/SlackNotifier';
import { startFakeSlack, type FakeSlack } from '../../support/fakeSlack';
import { makeAlert } from '../../support/alertFixtures';
import { notifierContract } from '../../support/notifierContract';
import { SLACK_FAULTS, slackReceived, slackWire } from '../../support/slackContractHarness';

notifierContract('SlackNotifier (bot token, chat.postMessage)', async () => {
  const slack = await startFakeSlack();
  return {
    markup: 'slack',
    faults: true,
    create: ({ digestThreshold, logger, sleep }) =>
      new SlackNotifier({ destination: 'contract', token: slack.token, channel: '#db-security', apiUrl: slack.apiUrl, digestThreshold, logger, retry: { sleep } }),
    received: () => slack.posts.map(slackReceived),
    inject: (...faults) => slack.failNext('chat.postMessage', ...faults.map((f) => SLACK_FAULTS[f])),
    secrets: [slack.token],
    wire: () => slackWire(slack),
    maxInterpretedChars: 40_000,
    close: () => slack.close(),
  };
});

describe('SlackNotifier specifics', () => {
  let slack: FakeSlack;
  const sleep = async () => {};
  beforeAll(async () => {
    slack = await startFakeSlack();
  });
  afterAll(() => slack.close());
  afterEach(() => {
    for (const place of slackWire(slack)) expect(place).not.toContain(slack.token);
  });
  const notifier = (channel = '#db-security', token?: string) =>
    new SlackNotifier({ destination: 'security', token: token ?? slack.token, channel, apiUrl: slack.apiUrl, digestThreshold: 10, retry: { sleep } });

  it('posts form-encoded with unfurling off, metadata and the bearer token in the header only', async () => {
    const before = slack.requests.length;
    await notifier().notify([makeAlert(1)]);
    const req = slack.requests[before]!;
    expect(req.path).toBe('/api/chat.postMessage');
    expect(req.headers['content-type']).toContain('application/x-www-form-urlencoded');
    expect(req.headers.authorization).toBe(`Bearer ${slack.token}`);
    const form = new URLSearchParams(req.body);
    expect(form.get('unfurl_links')).toBe('false');
    expect(form.get('unfurl_media')).toBe('false');
    expect(JSON.parse(form.get('metadata')!).event_type).toBe('pgaudit_alert');
    expect(req.body).not.toContain(slack.token);
  });

  it('invalid_auth is permanent, and the error never shows the token', async () => {
    const err = await notifier('#db-security', 'xoxb-wrong-token-value').notify([makeAlert(2)]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotifyError);
    expect((err as NotifyError).retryable).toBe(false);
    expect((err as NotifyError).code).toBe('invalid_auth');
    expect((err as Error).message).not.toContain('xoxb-wrong-token-value');
  });

  it('findDelivered finds alert keys in the channel history metadata, resolving the channel name once', async () => {
    const n = notifier('#dba');
    const sent = [makeAlert(10), makeAlert(11)];
    const since = new Date(Date.now() - 60_000);
    await n.notify(sent);
    const found = await n.findDelivered([sent[0]!.key, sent[1]!.key, 'pg-prod-1/x/9/9/never-sent'], since);
    expect(found).toEqual(new Set([sent[0]!.key, sent[1]!.key]));
    const fresh = notifier('#dba');
    expect(await fresh.findDelivered([sent[1]!.key], since)).toEqual(new Set([sent[1]!.key]));
    // Messages older than `since` are not looked at.
    expect(await fresh.findDelivered([sent[1]!.key], new Date(Date.now() + 60_000))).toEqual(new Set());
    expect(slack.requests.some((r) => r.path === '/api/conversations.list')).toBe(true);
    const history = slack.requests.filter((r) => r.path === '/api/conversations.history').at(-1)!;
    expect(new URLSearchParams(history.body).get('include_all_metadata')).toBe('true');
    expect(new URLSearchParams(history.body).get('channel')).toBe('C0DBA00001');
  });

  it('findDelivered pages through history', async () => {
    const n = notifier('C0SECURITY1');
    const sent = Array.from({ length: 5 }, (_, i) => makeAlert(50 + i));
    await n.notify(sent);
    for (let i = 0; i < 450; i++) slack.posts.push({ channel: 'C0SECURITY1', text: 'chatter', blocks: [], metadata: undefined, unfurl_links: false, unfurl_media: false, ts: `${1_900_000_000 + i}.000100` });
    expect(await n.findDelivered([sent[0]!.key], new Date(0))).toEqual(new Set([sent[0]!.key]));
  });

  it('splits a digest too big for one message; every part is accepted and the metadata lists every alert once', async () => {
    const alerts = Array.from({ length: 130 }, (_, i) => makeAlert(1000 + i, { rule: `rule-${i % 4}`, event: { statement: `SELECT ${'x'.repeat(3000)}` } }));
    const before = slack.posts.length;
    await notifier().notify(alerts);
    const posts = slack.posts.slice(before);
    expect(posts.length).toBeGreaterThan(1);
    expect(posts.flatMap((p) => p.metadata!.event_payload.alerts.map((a) => a.key))).toEqual(alerts.map((a) => a.key));
    expect(JSON.stringify(posts[0]!.blocks)).toContain(`(1/${posts.length})`);
  });

  it('findDelivered returns null when the token cannot read history', async () => {
    slack.failAlways('conversations.history', 'missing_scope');
    try {
      expect(await notifier('C0SECURITY1').findDelivered(['a/b/1/1/r'], new Date(0))).toBeNull();
    } finally {
      slack.failAlways('conversations.history', null);
    }
  });
});
