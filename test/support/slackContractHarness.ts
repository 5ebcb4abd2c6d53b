import type { SlackMessage } from '../../shared/notify/slack/SlackMessage';
import { startFakeSlack, type FakeSlack, type SlackFault } from './fakeSlack';
import type { ContractFault, ReceivedMessage } from './notifierContract';

export const SLACK_FAULTS: Record<ContractFault, SlackFault> = {
  pass: { pass: true },
  rate_limited: { status: 429, retryAfter: 3 },
  server_error: { status: 500 },
  network: { drop: true },
  permanent: { error: 'channel_not_found' },
};

/** Texts Slack parses as mrkdwn (or shows) in one message payload. */
export function slackTexts(payload: { text?: unknown; blocks?: unknown }): string[] {
  const texts = typeof payload.text === 'string' ? [payload.text] : [];
  for (const b of (payload.blocks ?? []) as SlackMessage['blocks']) {
    if (b.type === 'header') texts.push(b.text.text);
    if (b.type === 'section') texts.push(...(b.text ? [b.text.text] : []), ...(b.fields ?? []).map((f) => f.text));
    if (b.type === 'context') texts.push(...b.elements.map((e) => e.text));
  }
  return texts;
}

export function slackReceived(payload: { text?: unknown; blocks?: unknown; metadata?: unknown }): ReceivedMessage {
  const texts = slackTexts(payload);
  const metadata = payload.metadata as { event_payload?: { alerts?: { key: string }[] } } | undefined;
  return { text: texts.join('\n'), interpreted: texts, metadataKeys: (metadata?.event_payload?.alerts ?? []).map((a) => a.key) };
}

/** Request bodies and headers the fake saw, minus the Authorization header. */
export function slackWire(slack: FakeSlack): string[] {
  return slack.requests.flatMap((r) => [r.body, ...Object.entries(r.headers).filter(([k]) => k !== 'authorization').map(([k, v]) => `${k}: ${String(v)}`)]);
}

export { startFakeSlack };
