import type { Alert } from '../../model/Alert';
import { alertHeadline } from '../message/alertFacts';
import { escapeSlackInline } from './escapeSlack';
import { alertLine, countPerRule, digestHeadline, digestOrder } from '../message/digest';
import type { RenderOptions } from '../message/RenderOptions';
import { headerBlock, mrkdwn, slackAlertBlocks, slackCodeWithin, slackTextWithin } from './slackAlertBlocks';
import { slackMetadata } from './slackMetadata';
import { SLACK_LIMITS, type SlackBlock, type SlackMessage } from './SlackMessage';

const TEST_NOTE = ':test_tube: *Test alert from `pgaudit-alerts notify-test`*: no action needed.';
/** Alerts shown in full at the top of a digest; the rest get one line each. */
const DIGEST_FULL = 3;

/** One message per alert. */
export function renderSlackAlert(alert: Alert, options: RenderOptions = {}): SlackMessage {
  const blocks = slackAlertBlocks(alert, options, { header: true });
  if (options.test) blocks.splice(1, 0, { type: 'section', text: mrkdwn(TEST_NOTE) });
  const server = alert.event.server ? ` — ${alert.event.server}` : '';
  return { text: fallbackText(`${options.test ? 'TEST ' : ''}${alertHeadline(alert)}${server}`), blocks, metadata: slackMetadata([alert]), keys: [alert.key] };
}

/**
 * A digest of many alerts: counts per rule and the first few alerts in full, then one line per alert.
 * Split into as many messages as Slack's limits need; each message's metadata lists the alerts it
 * shows, so every alert is carried by exactly one message.
 */
export function renderSlackDigest(unordered: Alert[], options: RenderOptions = {}): SlackMessage[] {
  const alerts = digestOrder(unordered);
  const pages: { blocks: SlackBlock[]; alerts: Alert[]; chars: number }[] = [];
  let page = newPage();
  const add = (block: SlackBlock) => {
    page.blocks.push(block);
    page.chars += JSON.stringify(block).length;
  };
  if (options.test) add({ type: 'section', text: mrkdwn(TEST_NOTE) });
  add({ type: 'section', text: mrkdwn(ruleCounts(alerts)) });
  for (const alert of alerts.slice(0, DIGEST_FULL)) {
    add({ type: 'divider' });
    for (const b of slackAlertBlocks(alert, options, { header: false, statementChars: 1200, fieldChars: 300 })) add(b);
    page.alerts.push(alert);
  }
  let lines: string[] = [];
  const flushLines = () => {
    if (lines.length > 0) add({ type: 'section', text: mrkdwn(lines.join('\n')) });
    lines = [];
  };
  const rest = alerts.slice(DIGEST_FULL);
  if (rest.length > 0) add({ type: 'divider' });
  for (const alert of rest) {
    const line = '• ' + slackCodeWithin(alertLine(alert), 600);
    const sectionLength = lines.reduce((n, l) => n + l.length + 1, 0);
    const full =
      page.alerts.length >= SLACK_LIMITS.alertsPerMessage ||
      page.chars + sectionLength + line.length > SLACK_LIMITS.messageChars ||
      page.blocks.length >= SLACK_LIMITS.blocks - 1;
    if (full) {
      flushLines();
      pages.push(page);
      page = newPage();
    } else if (sectionLength + line.length > SLACK_LIMITS.sectionText) flushLines();
    lines.push(line);
    page.alerts.push(alert);
  }
  flushLines();
  pages.push(page);

  const headline = digestHeadline(alerts);
  return pages.map((p, i) => {
    const part = pages.length > 1 ? ` (${i + 1}/${pages.length})` : '';
    const title = `${options.test ? 'TEST ' : ''}${headline}${part}`;
    return { text: fallbackText(title), blocks: [headerBlock(title), ...p.blocks], metadata: slackMetadata(p.alerts), keys: p.alerts.map((a) => a.key) };
  });

  function newPage() {
    return { blocks: [] as SlackBlock[], alerts: [] as Alert[], chars: 0 };
  }
}

function ruleCounts(alerts: Alert[]): string {
  const lines = ['*Alerts per rule*'];
  const counts = countPerRule(alerts);
  let length = lines[0]!.length;
  for (const [i, c] of counts.entries()) {
    const line = `• \`${escapeSlackInline(c.rule)}\` [${c.severity}] ${slackTextWithin(c.title, 200)}: *${c.count}*`;
    if (length + line.length + 80 > SLACK_LIMITS.sectionText) {
      lines.push(`_… and ${counts.length - i} more rules_`);
      break;
    }
    lines.push(line);
    length += line.length + 1;
  }
  return lines.join('\n');
}

/** The message's `text`: shown in notifications, and parsed for mentions like any mrkdwn. */
function fallbackText(text: string): string {
  return slackTextWithin(text, 300);
}
