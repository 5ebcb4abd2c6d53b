import type { Alert } from '../../model/Alert';
import { alertFacts, alertHeadline } from '../message/alertFacts';
import { alertLine, countPerRule, digestHeadline, digestOrder } from '../message/digest';
import { plainText, singleLine } from '../message/plainText';
import type { RenderOptions } from '../message/RenderOptions';
import { truncateEscaped, truncationNote } from '../message/truncateText';

const TEST_BANNER = '*** TEST ALERT from pgaudit-alerts notify-test: no action needed ***';

/** Plain-text rendering of one alert: the console notifier and the text part of emails. */
export function renderAlertText(alert: Alert, options: RenderOptions = {}, maxStatementChars = 20_000): string {
  const lines: string[] = [];
  if (options.test) lines.push(TEST_BANNER);
  lines.push(singleLine(alertHeadline(alert)));
  if (alert.description) lines.push(plainText(alert.description.trim()));
  const facts = alertFacts(alert);
  const width = Math.max(...facts.map((f) => f.label.length)) + 2;
  for (const f of facts) lines.push(`${`${f.label}:`.padEnd(width)}${singleLine(f.value)}`);
  const statement = alert.event.statement;
  if (statement === null) lines.push('Statement: (not logged)');
  else {
    const { text, omitted } = truncateEscaped(statement, maxStatementChars, plainText);
    lines.push('Statement:');
    for (const line of text.split('\n')) lines.push(`    ${line}`);
    if (omitted > 0) lines.push(`    ${truncationNote(omitted)}`);
    if (alert.event.truncated) lines.push('    (the log record itself was cut off by the server)');
  }
  lines.push(`Key: ${singleLine(alert.key)}`);
  const link = options.logsLink?.(alert);
  if (link) lines.push(`Log Analytics: ${link}`);
  return lines.join('\n') + '\n';
}

/** Plain-text digest: counts per rule, then the first `fullCount` alerts in full, then one line per alert. */
export function renderDigestText(unordered: Alert[], options: RenderOptions = {}, fullCount = 3): string {
  const alerts = digestOrder(unordered);
  const parts: string[] = [];
  if (options.test) parts.push(TEST_BANNER);
  parts.push(singleLine(digestHeadline(alerts)), '', 'Alerts per rule:');
  for (const { rule, severity, title, count } of countPerRule(alerts)) {
    parts.push(`  ${String(count).padStart(5)}  ${singleLine(rule)} [${severity}] ${singleLine(title)}`);
  }
  const full = alerts.slice(0, fullCount);
  for (const a of full) parts.push('', '-'.repeat(60), renderAlertText(a, { ...options, test: false }, 2000).trimEnd());
  if (alerts.length > full.length) {
    parts.push('', '-'.repeat(60), `The other ${alerts.length - full.length} alerts:`);
    for (const a of alerts.slice(full.length)) parts.push(`  ${singleLine(alertLine(a))}`);
  }
  return parts.join('\n') + '\n';
}
