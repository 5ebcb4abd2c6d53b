import type { Alert } from '../model/Alert';
import type { Severity } from '../model/Severity';
import { systemEvent } from '../model/systemEvent';

/**
 * Alerts about the product itself, sent through the same notifiers: for a security tool, failing
 * silently is the worst failure. Their keys are stable for one incident (a silence since a given time,
 * a failure streak from a given watermark), so the ledger sends each once.
 */
export function monitorAlert(options: {
  rule: 'pgaudit-alerts-silence' | 'pgaudit-alerts-scan-failing';
  severity: Severity;
  title: string;
  description: string;
  server: string | null;
  incident: string;
  time: Date;
}): Alert {
  const event = systemEvent({
    server: options.server,
    time: options.time.toISOString(),
    application: 'pgaudit-alerts',
    class: 'MONITOR',
    command: options.rule === 'pgaudit-alerts-silence' ? 'SILENCE' : 'SCAN FAILED',
  });
  return {
    rule: options.rule,
    severity: options.severity,
    title: options.title,
    event,
    key: [options.server ?? '-', 'monitor', options.incident, options.rule].join('/'),
    description: options.description,
  };
}

/** Servers seen before that have sent nothing for longer than `silenceAfterMs`. */
export function silenceAlerts(lastSeenByServer: Record<string, string>, now: Date, silenceAfterMs: number): Alert[] {
  const alerts: Alert[] = [];
  for (const [server, lastSeen] of Object.entries(lastSeenByServer)) {
    const quietMs = now.getTime() - Date.parse(lastSeen);
    if (!(quietMs > silenceAfterMs)) continue;
    const hours = Math.round((quietMs / 3_600_000) * 10) / 10;
    alerts.push(
      monitorAlert({
        rule: 'pgaudit-alerts-silence',
        severity: 'high',
        title: `No audit rows from ${server} for ${hours} h`,
        description:
          `The last pgAudit or connection row from ${server} was logged at ${lastSeen}. Check that the server is running, ` +
          'that pgaudit is still in shared_preload_libraries with pgaudit.log set, and that the diagnostic setting still ' +
          'sends PostgreSQLLogs to the workspace (the Azure Activity log shows who changed them).',
        server,
        incident: `since-${lastSeen}`,
        time: now,
      }),
    );
  }
  return alerts;
}
