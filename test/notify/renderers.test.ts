import { describe, expect, it } from 'vitest';
import { renderAlertEmail, renderDigestEmail } from '../../shared/notify/email/renderEmail';
import { renderAlertText, renderDigestText } from '../../shared/notify/text/renderAlertText';
import { renderSlackAlert, renderSlackDigest } from '../../shared/notify/slack/renderSlackMessages';
import { logAnalyticsSessionLink } from '../../shared/logAnalytics/logAnalyticsSessionLink';
import { SLACK_LIMITS, type SlackBlock, type SlackMessage } from '../../shared/notify/slack/SlackMessage';
import { hostileAlert, makeAlert } from '../support/alertFixtures';

/** Every text Slack will parse as mrkdwn (or show) in a message. */
function slackTexts(m: SlackMessage): string[] {
  const texts = [m.text];
  for (const b of m.blocks) texts.push(...blockTexts(b));
  return texts;
}
function blockTexts(b: SlackBlock): string[] {
  if (b.type === 'header') return [b.text.text];
  if (b.type === 'section') return [...(b.text ? [b.text.text] : []), ...(b.fields ?? []).map((f) => f.text)];
  if (b.type === 'context') return b.elements.map((e) => e.text);
  return [];
}
export function expectWithinSlackLimits(m: SlackMessage): void {
  expect(m.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
  for (const b of m.blocks) {
    if (b.type === 'section') {
      if (b.text) expect(b.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
      expect((b.fields ?? []).length).toBeLessThanOrEqual(SLACK_LIMITS.fields);
      for (const f of b.fields ?? []) expect(f.text.length).toBeLessThanOrEqual(SLACK_LIMITS.field);
    }
    if (b.type === 'header') expect(b.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
  }
  expect(JSON.stringify(m.blocks).length).toBeLessThan(40_000);
}

describe('Slack rendering', () => {
  it('shows the facts, the statement in a code block and metadata for the alert', () => {
    const alert = makeAlert(3);
    const m = renderSlackAlert(alert, { logsLink: () => 'https://portal.example/#x?a=1' });
    const all = slackTexts(m).join('\n');
    for (const fact of ['pg-prod-1', 'shopdb', 'dba_alice', 'psql', '10.0.0.4', '2026-11-22T12:07:03.000Z', 'role-grant', '6b02dae7.3421 / 3.1']) {
      expect(all).toContain(fact);
    }
    expect(all).toContain('```GRANT dba_admins TO mallory;```');
    expect(all).toContain('<https://portal.example/#x?a=1|Session in Log Analytics>');
    expect(m.text).toBe('[HIGH] Role granted to a user — pg-prod-1');
    expect(m.metadata).toEqual({
      event_type: 'pgaudit_alert',
      event_payload: { alerts: [{ rule: 'role-grant', severity: 'high', key: alert.key, server: 'pg-prod-1', sessionId: '6b02dae7.3421', statementId: 3, substatementId: 1 }] },
    });
  });

  it('escapes database text so it can never mention, link or break out of the code block', () => {
    const m = renderSlackAlert(hostileAlert());
    for (const t of slackTexts(m)) {
      expect(t).not.toMatch(/<[!@#]/);
      expect(t).not.toContain('<https://evil');
      expect(t).not.toMatch(/&(?!amp;|lt;|gt;)/);
    }
    const statement = slackTexts(m).find((t) => t.startsWith('*Statement*'))!;
    expect(statement.match(/```/g)).toHaveLength(2);
    expect(statement).toContain('&lt;!channel&gt;');
  });

  it('cuts a 100 KB statement to fit a section, with a visible note', () => {
    const m = renderSlackAlert(makeAlert(1, { event: { statement: 'SELECT ' + '&x'.repeat(50_000) } }));
    expectWithinSlackLimits(m);
    const statement = slackTexts(m).find((t) => t.startsWith('*Statement*'))!;
    expect(statement).toMatch(/truncated: [\d,]+ more characters/);
    expect(statement).not.toMatch(/&(?!amp;|lt;|gt;)/);
  });

  it('splits a big digest into messages within the limits, each alert in exactly one message', () => {
    const alerts = Array.from({ length: 500 }, (_, i) => makeAlert(i + 1, { rule: `rule-${i % 7}`, event: { statement: 'x'.repeat(5000) } }));
    const messages = renderSlackDigest(alerts);
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) expectWithinSlackLimits(m);
    const keys = messages.flatMap((m) => m.metadata.event_payload.alerts.map((a) => a.key));
    expect(keys).toEqual(alerts.map((a) => a.key));
    expect(messages.flatMap((m) => m.keys)).toEqual(keys);
    expect(messages[0]!.blocks[0]).toMatchObject({ type: 'header', text: { text: expect.stringMatching(/500 pgaudit alerts on pg-prod-1 \(1\/\d+\)/) } });
    expect(slackTexts(messages[0]!).join('\n')).toContain('`rule-0` [high] Role granted to a user: *72*');
  });
});

describe('plain text and email rendering', () => {
  it('plain text shows every fact and neutralises terminal control characters', () => {
    const text = renderAlertText(hostileAlert());
    expect(text).not.toContain('\u001b');
    expect(text).toContain('\\x1b[2J');
    expect(renderAlertText(makeAlert(2))).toContain('    GRANT dba_admins TO mallory;');
    expect(renderDigestText(Array.from({ length: 12 }, (_, i) => makeAlert(i + 1)))).toContain('   12  role-grant [high] Role granted to a user');
  });

  it('email HTML escapes database text; the subject is one line', () => {
    const mail = renderAlertEmail(hostileAlert(), { test: true });
    expect(mail.html).not.toContain('<!channel>');
    expect(mail.html).not.toContain('<https://evil');
    expect(mail.html).toContain('&lt;!channel&gt;');
    expect(mail.subject).toBe('TEST [HIGH] Role granted to a user — pg-prod-1');
    const digest = renderDigestEmail(Array.from({ length: 20 }, (_, i) => makeAlert(i + 1)));
    expect(digest.subject).toBe('[HIGH] 20 pgaudit alerts on pg-prod-1');
    expect(digest.text).toContain('The other 17 alerts:');
  });

  it('builds a Log Analytics link for the session only from a workspace resource id', () => {
    const link = logAnalyticsSessionLink('/subscriptions/s/resourceGroups/g/providers/Microsoft.OperationalInsights/workspaces/w', makeAlert())!;
    expect(link).toContain('https://portal.azure.com/#blade/Microsoft_Azure_Monitoring_Logs/LogsBlade/resourceId/%2Fsubscriptions%2Fs');
    expect(decodeURIComponent(link)).toContain('| where Message has "6b02dae7.3421"');
    expect(logAnalyticsSessionLink('/x', makeAlert(1, { event: { sessionId: null } }))).toBeNull();
  });
});

describe('digest order', () => {
  it('shows the most severe alerts in full first, in every format', () => {
    const alerts = [makeAlert(1, { severity: 'low', title: 'Low one' }), ...Array.from({ length: 5 }, (_, i) => makeAlert(i + 2, { severity: 'medium' })), makeAlert(9, { severity: 'critical', title: 'Critical one' })];
    const [first] = renderSlackDigest(alerts);
    expect(first!.metadata.event_payload.alerts[0]!.severity).toBe('critical');
    expect(first!.metadata.event_payload.alerts.at(-1)!.severity).toBe('low');
    const text = renderDigestText(alerts);
    expect(text.indexOf('Critical one')).toBeGreaterThan(0);
    expect(text.indexOf('Critical one')).toBeLessThan(text.indexOf(alerts[0]!.key));
    expect(renderDigestEmail(alerts).subject).toBe('[CRITICAL] 7 pgaudit alerts on pg-prod-1');
  });
});
