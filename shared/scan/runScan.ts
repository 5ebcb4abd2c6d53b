import type { StateStore, Watermark } from '../dedupe/StateStore';
import { ConcurrencyError } from '../dedupe/StateStore';
import { deliverAlerts } from '../deliver/deliverAlerts';
import { retryOutbox } from '../deliver/retryOutbox';
import { errorMessage } from '../errors/errorMessage';
import { signInFailure } from '../errors/signInFailure';
import { UserError } from '../errors/UserError';
import type { RuleSet } from '../match/RuleSet';
import { mergeAuditRecords } from '../merge/mergeAuditRecords';
import type { Alert } from '../model/Alert';
import type { Destination } from '../model/Destination';
import type { Notifier } from '../notify/Notifier';
import type { Scrub } from '../redact/createScrubber';
import { redactSecrets } from '../redact/redactSecrets';
import type { Settings } from '../settings/Settings';
import type { SourceItem } from '../source/SourceRecord';
import type { LogSource } from './LogSource';
import { monitorAlert, silenceAlerts } from './monitorAlerts';
import { parseWarnings } from './parseWarnings';
import type { Logger } from '../util/Logger';
import { countDelivery, emptyScanReport, type ScanReport } from './ScanReport';
import { scanEvents } from './scanEvents';
import { SessionResolver } from './SessionResolver';

/**
 * Every run re-reads this much before the watermark: `ingestion_time()` is approximate, and a row can
 * become queryable a little after rows ingested later. The ledger drops what was already sent.
 */
export const SCAN_OVERLAP_MS = 10 * 60_000;
/** Consecutive failed runs before the scan alerts about itself. */
export const FAILURES_BEFORE_ALERT = 3;
/** Ledger rows and cached sessions are kept this long (Table Storage has no TTL). */
const RETENTION_MS = 30 * 24 * 3_600_000;

export interface ScanDeps {
  settings: Settings;
  /** Loaded inside the run, so a broken rules file counts as a failed run and is alerted on. */
  loadRules: () => Promise<RuleSet>;
  source: LogSource;
  store: StateStore;
  /**
   * The notifiers for the rules file's destinations. Called with none when the rules could not be
   * loaded, so the failure alert still reaches the default destination from the settings.
   */
  notifiersFor: (destinations: readonly Destination[]) => Notifier[];
  now: () => Date;
  log: Logger;
  /**
   * Scrubs a failure's message before it is logged, stored and alerted on (redact/createScrubber with
   * the app's secrets); default: the secret-looking patterns only.
   */
  scrub?: Scrub;
  /** Print instead of send; no state is written. */
  dryRun?: (alerts: Alert[]) => Promise<void>;
}

/**
 * One scan of Log Analytics: the timer function and `pgaudit-alerts scan` both run exactly this.
 *
 * Window by arrival: (watermark − overlap, now − settle delay], TimeGenerated widened by SCAN_MAX_LATENESS.
 * Order of work, so nothing is lost and overlapping runs send nothing twice: alerts are claimed in the
 * ledger (insert-if-absent), sent, marked sent, and only then does the watermark advance. Any failure
 * leaves the watermark where it was; the next run reads the window again and the ledger drops what was
 * already sent. Alerts that could not be sent wait in the outbox, retried first thing next run.
 */
export async function runScan(deps: ScanDeps): Promise<ScanReport> {
  const { settings, store, log } = deps;
  const report = emptyScanReport();
  const startedAt = deps.now();
  const scope = watermarkScope(settings);
  let watermark: Watermark | null;
  try {
    watermark = await store.getWatermark(scope);
  } catch (err) {
    // Without the state store nothing can be scanned safely, nor the failure counted: report and stop.
    const signIn = signInFailure(err);
    report.error = signIn ?? `cannot read the scan state: ${(deps.scrub ?? redactSecrets)(errorMessage(err))}`;
    report.errorKind = signIn ? 'user' : 'unexpected';
    log.error(`scan failed before it started; the window will be read when the state store is reachable: ${report.error}`);
    return report;
  }
  const upper = new Date(startedAt.getTime() - settings.settleDelayMs);
  const lower = watermark
    ? new Date(Date.parse(watermark.ingestedThrough) - SCAN_OVERLAP_MS)
    : new Date(startedAt.getTime() - settings.initialLookbackMs);
  let notifiers: Notifier[] | null = null;
  try {
    const ruleSet = await deps.loadRules();
    for (const warning of ruleSet.warnings) log.warn(warning);
    notifiers = deps.dryRun ? [] : deps.notifiersFor(ruleSet.destinations);
    if (!deps.dryRun) countDelivery(report, await retryOutbox({ store, notifiers, now: deps.now, log, leaseMs: settings.deliveryLeaseMs }));
    const lastSeen: Record<string, string> = { ...(watermark?.lastSeenByServer ?? {}) };
    const alerts: Alert[] = [];
    if (lower.getTime() < upper.getTime()) {
      report.window = { from: lower.toISOString(), to: upper.toISOString() };
      const window = { ingestedAfter: lower, ingestedBefore: upper, timespanStart: new Date(lower.getTime() - settings.maxLatenessMs) };
      const resolver = new SessionResolver(store, deps.source, settings.logLinePrefix, deps.now, settings.logTimezone);
      const merged = mergeAuditRecords(observeRows(deps.source.scanRows(window), report, lastSeen), {
        prefix: settings.logLinePrefix,
        logTimezone: settings.logTimezone,
        onSessionContext: resolver.learn,
      });
      async function* withSessions() {
        for await (const batch of merged.batches) {
          await resolver.fill(batch);
          yield batch;
        }
      }
      await scanEvents(withSessions(), ruleSet, report, (found) => void alerts.push(...found));
      const summary = merged.summary();
      report.malformed = summary.malformed + summary.truncated;
      report.warnings.push(...parseWarnings(summary));
      if (resolver.unresolved > 0) {
        report.warnings.push(
          `${resolver.unresolved} events came from sessions whose connection line was not found within SCAN_MAX_LATENESS: ` +
            'their user and database are unknown (is log_connections on?)',
        );
      }
      if (!deps.dryRun) await resolver.persist();
    } else {
      log.info(`nothing to scan yet: the window up to now − SCAN_SETTLE_DELAY (${upper.toISOString()}) is already done`);
    }
    const silence = silenceAlerts(lastSeen, startedAt, settings.silenceAlertAfterMs);
    for (const a of silence) log.warn(a.title);
    alerts.push(...silence);
    report.alerts += silence.length;

    if (deps.dryRun) {
      await deps.dryRun(alerts);
      return report;
    }
    const delivery = await deliverAlerts(alerts, { store, notifiers, now: deps.now, log, leaseMs: settings.deliveryLeaseMs });
    countDelivery(report, delivery);
    if (delivery.unclaimed > 0) {
      // Neither sent nor in the ledger: only re-reading the window can bring them back.
      throw new Error(`${delivery.unclaimed} alerts could be neither sent nor recorded in the state store; the window will be read again`);
    }
    // Every alert of the window is now sent, or recorded in the ledger/outbox: the window is done.
    const next: Watermark = {
      ingestedThrough: report.window ? upper.toISOString() : (watermark?.ingestedThrough ?? upper.toISOString()),
      lastSeenByServer: lastSeen,
      consecutiveFailures: 0,
      lastError: null,
    };
    await advance(store, scope, next, watermark, log);
    const removed = await store.cleanup(new Date(startedAt.getTime() - Math.max(RETENTION_MS, 2 * settings.maxLatenessMs)));
    if (removed > 0) log.info(`cleanup: removed ${removed} expired ledger and session rows`);
    return report;
  } catch (err) {
    // A failed Azure sign-in is one line saying what to do, not the credential chain's dump.
    const signIn = signInFailure(err);
    report.error = signIn ?? (deps.scrub ?? redactSecrets)(errorMessage(err));
    report.errorKind = signIn !== null || err instanceof UserError ? 'user' : 'unexpected';
    if (deps.dryRun) return report;
    await recordFailure(deps, notifiers, scope, watermark, lower, report);
    return report;
  }
}

/** One watermark per workspace and server selection: changing PG_SERVERS starts a fresh window. */
export function watermarkScope(settings: Settings): string {
  const servers = settings.pgServers.length > 0 ? [...settings.pgServers].sort().join(',') : '*';
  return `${settings.logsWorkspaceId ?? 'no-workspace'}|${servers}`;
}

async function* observeRows(rows: AsyncIterable<SourceItem[]>, report: ScanReport, lastSeen: Record<string, string>) {
  for await (const batch of rows) {
    for (const item of batch) {
      report.rowsRead++;
      if (!('record' in item)) continue;
      const { server, rowTime } = item.record;
      if (server !== null && rowTime !== null && (lastSeen[server] === undefined || rowTime > lastSeen[server]!)) lastSeen[server] = rowTime;
    }
    yield batch;
  }
}

async function advance(store: StateStore, scope: string, next: Watermark, current: Watermark | null, log: Logger): Promise<void> {
  try {
    await store.setWatermark(scope, next, current?.etag ?? null);
  } catch (err) {
    // An overlapping run advanced it first; its ledger claims and ours were insert-if-absent, so
    // nothing was sent twice and the window is covered either way.
    if (err instanceof ConcurrencyError) log.warn('another scan run advanced the watermark first; keeping its value');
    else throw err;
  }
}

/**
 * A failed run: the watermark stays, the failure is counted, and from the third failure in a row the
 * scan alerts about itself (once per failure streak).
 */
async function recordFailure(deps: ScanDeps, ruleNotifiers: Notifier[] | null, scope: string, watermark: Watermark | null, lower: Date, report: ScanReport): Promise<void> {
  const failures = (watermark?.consecutiveFailures ?? 0) + 1;
  const ingestedThrough = watermark?.ingestedThrough ?? new Date(lower.getTime()).toISOString();
  deps.log.error(`scan failed (${failures} in a row); the watermark stays at ${ingestedThrough}: ${report.error}`);
  try {
    await deps.store.setWatermark(
      scope,
      { ingestedThrough, lastSeenByServer: watermark?.lastSeenByServer ?? {}, consecutiveFailures: failures, lastError: report.error },
      watermark?.etag ?? null,
    );
  } catch (err) {
    deps.log.error(`could not record the failure in the state store: ${errorMessage(err)}`);
  }
  if (failures < FAILURES_BEFORE_ALERT) return;
  const alert = monitorAlert({
    rule: 'pgaudit-alerts-scan-failing',
    severity: 'critical',
    title: `pgaudit-alerts has failed ${failures} scans in a row`,
    description:
      `Audit rows are not being checked. Last error: ${report.error}. Common causes: the function's identity lost ` +
      '"Log Analytics Reader" on the workspace, the rules file is invalid (run pgaudit-alerts check-rules), or the ' +
      'workspace or storage account is unreachable. Rows are re-read once the scan works again: nothing is skipped.',
    server: null,
    incident: `failing-from-${ingestedThrough}`,
    time: deps.now(),
  });
  try {
    const notifiers = ruleNotifiers ?? deps.notifiersFor([]);
    countDelivery(report, await deliverAlerts([alert], { store: deps.store, notifiers, now: deps.now, log: deps.log, leaseMs: deps.settings.deliveryLeaseMs }));
  } catch (err) {
    deps.log.error(`could not send the scan-failure alert: ${errorMessage(err)}`);
  }
}
