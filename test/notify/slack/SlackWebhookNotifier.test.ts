import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NotifyError } from '../../../shared/notify/Notifier';
import { SlackWebhookNotifier } from '../../../shared/notify/slack/SlackWebhookNotifier';
import { startFakeSlack, type FakeSlack } from '../../support/fakeSlack';
import { makeAlert } from '../../support/alertFixtures';
import { notifierContract } from '../../support/notifierContract';
import { SLACK_FAULTS, slackReceived, slackWire } from '../../support/slackContractHarness';

notifierContract('SlackWebhookNotifier (incoming webhook)', async () => {
  const slack = await startFakeSlack();
  return {
    markup: 'slack',
    faults: true,
    create: ({ digestThreshold, logger, sleep }) => new SlackWebhookNotifier({ destination: 'contract', url: slack.webhookUrl, digestThreshold, logger, retry: { sleep } }),
    received: () => slack.webhookPosts.map(slackReceived),
    inject: (...faults) => slack.failNext('webhook', ...faults.map((f) => SLACK_FAULTS[f])),
    // The webhook URL's path is its credential.
    secrets: [new URL(slack.webhookUrl).pathname, slack.webhookUrl],
    wire: () => slackWire(slack),
    maxInterpretedChars: 40_000,
    close: () => slack.close(),
  };
});

describe('SlackWebhookNotifier specifics', () => {
  let slack: FakeSlack;
  beforeAll(async () => {
    slack = await startFakeSlack();
  });
  afterAll(() => slack.close());
  afterEach(() => {
    for (const place of slackWire(slack)) expect(place).not.toContain(new URL(slack.webhookUrl).pathname);
  });

  it('warns that a webhook cannot choose the channel a destination asks for, without showing the URL', () => {
    const logs: string[] = [];
    const logger = { info: (m: string) => logs.push(m), warn: (m: string) => logs.push(m), error: (m: string) => logs.push(m) };
    new SlackWebhookNotifier({ destination: 'dba', url: slack.webhookUrl, requestedChannel: '#dba', digestThreshold: 10, logger });
    expect(logs).toHaveLength(1);
    expect(logs[0]).toContain('slack destination "dba" asks for channel #dba');
    expect(logs[0]).not.toContain(new URL(slack.webhookUrl).pathname);
  });

  it('sends JSON with metadata and unfurling off; cannot tell what was delivered', async () => {
    const n = new SlackWebhookNotifier({ destination: 'd', url: slack.webhookUrl, digestThreshold: 10 });
    const before = slack.requests.length;
    await n.notify([makeAlert(1)]);
    const req = slack.requests[before]!;
    expect(req.headers['content-type']).toBe('application/json');
    const body = JSON.parse(req.body) as Record<string, unknown>;
    expect(body).toMatchObject({ unfurl_links: false, unfurl_media: false, metadata: { event_type: 'pgaudit_alert' } });
    expect(await n.findDelivered()).toBeNull();
  });

  it('a revoked webhook (404 no_service) is permanent and named', async () => {
    const n = new SlackWebhookNotifier({ destination: 'd', url: slack.webhookUrl.replace(/[^/]+$/, 'revoked'), digestThreshold: 10, retry: { sleep: async () => {} } });
    const err = (await n.notify([makeAlert(2)]).catch((e: unknown) => e)) as NotifyError;
    expect(err).toBeInstanceOf(NotifyError);
    expect(err.retryable).toBe(false);
    expect(err.code).toBe('http_404 no_service');
    expect(err.message).not.toContain('revoked');
  });
});
