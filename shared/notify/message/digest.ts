import type { Alert } from '../../model/Alert';
import { severityRank } from '../../model/Severity';

/* What every digest shows, whatever its format (text, Slack, email): order, headline, counts, one line per alert. */

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
