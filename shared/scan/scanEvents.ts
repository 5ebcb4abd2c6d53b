import { alertsForEvent } from '../match/alertsForEvent';
import type { RuleSet } from '../match/RuleSet';
import type { Alert } from '../model/Alert';
import type { AuditEvent } from '../model/AuditEvent';
import type { ScanReport } from './ScanReport';

/**
 * match → dedupe (within one run): events in, alerts out through `emit`, in event order. An alert key
 * seen twice in one input (overlapping files, a row shipped twice) is emitted once and counted.
 * Memory stays bounded by the number of alerts, not of events.
 */
export async function scanEvents(
  batches: AsyncIterable<AuditEvent[]>,
  ruleSet: RuleSet,
  report: ScanReport,
  emit: (alerts: Alert[]) => Promise<void> | void,
): Promise<void> {
  const seen = new Set<string>();
  for await (const batch of batches) {
    const fresh: Alert[] = [];
    for (const event of batch) {
      report.events++;
      for (const alert of alertsForEvent(ruleSet, event)) {
        if (seen.has(alert.key)) {
          report.duplicatesSkipped++;
          continue;
        }
        seen.add(alert.key);
        fresh.push(alert);
      }
    }
    report.alerts += fresh.length;
    if (fresh.length > 0) await emit(fresh);
  }
}
