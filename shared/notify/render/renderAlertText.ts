import type { Alert } from '../../model/Alert';
import { severityRank } from '../../model/Severity';
import { alertFacts, alertHeadline } from './alertFacts';
import { plainText, singleLine } from './plainText';
import type { RenderOptions } from './RenderOptions';
import { truncateEscaped, truncationNote } from './truncateText';

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

/** Most severe first (stable otherwise), so the alerts a digest shows in full are the ones that matter most. */
export function digestOrder(alerts: Alert[]): Alert[] {
  return alerts.map((a, i) => ({ a, i })).sort((x, y) => severityRank(y.a.severity) - severityRank(x.a.severity) || x.i - y.i).map(({ a }) => a);
}

/** `[HIGH] 37 pgaudit alerts on pg-prod-1, pg-prod-2` — the most severe alert sets the severity. */
export function digestHeadline(alerts: Alert[]): string {
  const top = alerts.reduce((a, b) => (severityRank(b.severity) > severityRank(a.severity) ? b : a), alerts[0]!);
  const servers = [...new Set(alerts.map((a) => a.event.server ?? '-'))];
  const shown = servers.slice(0, 3).join(', ') + (servers.length > 3 ? ` (+${servers.length - 3} more)` : '');
  return `[${top.severity.toUpperCase()}] ${alerts.length} pgaudit alerts on ${shown}`;
}

/** One line per alert in a digest: severity, rule, who, what, when, and the key (server/session/statement/rule). */
export function alertLine(a: Alert): string {
  const e = a.event;
  return `[${a.severity}] ${a.rule} — ${e.user ?? '-'}@${e.database ?? '-'} — ${`${e.class} ${e.command}`.trim()} — ${e.time ?? '-'} — ${a.key}`;
}

export interface RuleCount {
  rule: string;
  severity: Alert['severity'];
  title: string;
  count: number;
}

/** Alerts per rule, most severe then most frequent first. */
export function countPerRule(alerts: Alert[]): RuleCount[] {
  const byRule = new Map<string, RuleCount>();
  for (const a of alerts) {
    const entry = byRule.get(a.rule) ?? { rule: a.rule, severity: a.severity, title: a.title, count: 0 };
    entry.count++;
    byRule.set(a.rule, entry);
  }
  return [...byRule.values()].sort((x, y) => severityRank(y.severity) - severityRank(x.severity) || y.count - x.count || x.rule.localeCompare(y.rule));
}
