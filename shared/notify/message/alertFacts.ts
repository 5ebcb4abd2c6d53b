import type { Alert } from '../../model/Alert';

export interface AlertFact {
  label: string;
  /** Database text, unescaped; each renderer escapes for its format. '-' when unknown. */
  value: string;
}

/** The facts every message shows, in one order for all formats. Values are raw database text. */
export function alertFacts(alert: Alert): AlertFact[] {
  const e = alert.event;
  const objects = e.objects.map((o) => (o.type ? `${o.name} (${o.type.toLowerCase()})` : o.name)).join(', ');
  return [
    { label: 'Server', value: name(e.server) },
    { label: 'Database', value: name(e.database) },
    { label: 'User', value: name(e.user) },
    { label: 'Application', value: name(e.application) },
    { label: 'Client', value: name(e.client) },
    { label: 'Objects', value: objects || '-' },
    { label: 'Time', value: e.time ?? '-' },
    { label: 'Command', value: `${e.class} ${e.command}`.trim() || '-' },
    { label: 'Rule', value: alert.rule },
    { label: 'Session / statement', value: `${e.sessionId ?? '-'} / ${e.statementId}.${e.substatementId}` },
  ];
}

/**
 * A name as the reader must see it: `"etl "` (quoted) when empty or with spaces at either end, so
 * that a role named `etl ` cannot pass for `etl`; `-` when unknown.
 */
function name(value: string | null): string {
  if (value === null) return '-';
  return value === '' || value.trim() !== value || value === '-' ? `"${value}"` : value;
}

/** `[HIGH] Title` — the line that leads every rendering. */
export function alertHeadline(alert: Alert): string {
  return `[${alert.severity.toUpperCase()}] ${alert.title}`;
}
