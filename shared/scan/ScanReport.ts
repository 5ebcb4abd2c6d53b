import type { DeliveryReport } from '../deliver/DeliveryReport';
import { routeName } from '../deliver/transportOf';

/** What one scan did: logged by the timer, printed (one line) by the CLI. */
export interface ScanReport {
  /** The source's name (`log-analytics`, `storage`, `file`, ...). */
  source: string;
  rowsRead: number;
  events: number;
  alerts: number;
  duplicatesSkipped: number;
  malformed: number;
  delivered: number;
  /** Alerts that could not be sent now and wait in the outbox for the next run. */
  pending: number;
  /** Alerts a destination refused permanently (bad token, unknown channel): reported loudly, kept in the ledger. */
  parked: number;
  /** The window scanned (by ingestion time for Log Analytics, by record hour for the Storage archive), when the source reads one. */
  window: { from: string; to: string } | null;
  warnings: string[];
  /** Set when the scan failed; the watermark did not move. */
  error: string | null;
  /** `user` when the failure is something the operator fixes (rules file, settings): CLI exit 1, else 2. */
  errorKind: 'user' | 'unexpected' | null;
}

export function emptyScanReport(source: string): ScanReport {
  return {
    source, rowsRead: 0, events: 0, alerts: 0, duplicatesSkipped: 0, malformed: 0, delivered: 0, pending: 0, parked: 0,
    window: null, warnings: [], error: null, errorKind: null,
  };
}

export function formatScanReport(r: ScanReport): string {
  // A file scan's line is the one users know; a polled source names itself, after its window.
  const head = (r.window ? ` window ${r.window.from} .. ${r.window.to}` : '') + (r.source === 'file' ? '' : ` (${r.source})`);
  return (
    `scan:${head}${head === '' ? '' : ';'} ${r.rowsRead} rows read, ${r.events} events, ${r.alerts} alerts, ${r.duplicatesSkipped} duplicates skipped, ` +
    `${r.malformed} malformed rows` +
    (r.delivered + r.pending + r.parked > 0 ? `, ${r.delivered} delivered, ${r.pending} pending, ${r.parked} parked` : '') +
    (r.error ? `; FAILED: ${r.error}` : '')
  );
}

/**
 * Adds a delivery pass to the run's report. Unclaimed alerts (neither sent nor in the ledger) are not
 * counted here: the caller decides (a Log Analytics scan re-reads its window, a file scan reports them).
 */
export function countDelivery(report: ScanReport, d: DeliveryReport): void {
  report.delivered += d.delivered;
  report.pending += d.pending;
  report.parked += d.parked;
  report.duplicatesSkipped += d.duplicatesSkipped;
  for (const f of d.failures) report.warnings.push(`destination ${routeName(f.destination, f.transport)} failed (${f.code}): ${f.message}`);
}
