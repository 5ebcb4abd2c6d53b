import { ConcurrencyError, type StateStore, type Watermark } from '../dedupe/StateStore';
import { deliverAlerts } from '../deliver/deliverAlerts';
import { retryOutbox } from '../deliver/retryOutbox';
import { errorMessage } from '../errors/errorMessage';
import { signInFailure } from '../errors/signInFailure';
import { UserError } from '../errors/UserError';
import type { RuleSet } from '../match/RuleSet';
import type { Alert } from '../model/Alert';
import type { AuditEvent } from '../model/AuditEvent';
import type { Destination } from '../model/Destination';
import type { Notifier } from '../notify/Notifier';
import type { Scrub } from '../redact/createScrubber';
import { redactSecrets } from '../redact/redactSecrets';
import type { Settings } from '../settings/Settings';
import type { LogSource, SourceRead } from '../source/LogSource';
import type { Logger } from '../util/Logger';
import { silenceAlerts } from './monitorAlerts';
import { readAlerts } from './readAlerts';
import { recordScanFailure } from './recordScanFailure';
import { countDelivery, emptyScanReport, type ScanReport } from './ScanReport';

/** Ledger rows and cached sessions are kept this long (Table Storage has no TTL). */
const RETENTION_MS = 30 * 24 * 3_600_000;

export interface PipelineDeps {
  settings: Settings;
  /** Loaded inside the run, so a broken rules file counts as a failed run and is alerted on. */
  loadRules: () => Promise<RuleSet>;
  source: LogSource;
  /** The ledger, outbox, session cache and watermarks: Table Storage, or MemoryStateStore for a file or dry run. */
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
  /** Print instead of send (each batch's new alerts, in event order); no state is written, nothing committed. */
  dryRun?: (alerts: Alert[]) => Promise<void>;
  /**
   * For a source whose sessions' connection lines may be being read at this moment by another instance
   * (Event Hubs partitions): called with each batch's events after this run's connection lines are in the
   * session cache and before the cache is asked; waits a bounded time for the missing ones (see
   * awaitInFlightSessions) and resolves to how many are still missing.
   */
  awaitSessions?: (events: readonly AuditEvent[]) => Promise<number>;
}

/**
 * The one pipeline every entry point runs — the timer over each polled source, `pgaudit-alerts scan`
 * (`--source`, `--input`), the Event Hubs trigger:
 *
 *   outbox retry → source.read → parse → merge → sessions → match → dedupe (ledger) → deliver → source.commit → watermark
 *
 * Order of work, so nothing is lost and overlapping runs send nothing twice: alerts are claimed in the
 * ledger (insert-if-absent), sent, marked sent; only then are the source's cursors committed and the
 * watermark (position, last-seen times, failure streak) advanced. Any failure commits nothing: the next
 * run reads the same records again and the ledger drops what was already sent. Alerts that could not be
 * sent wait in the outbox, retried first thing next run. A source without scope keeps no run state: a
 * failure throws (the CLI exits non-zero, the Functions host redelivers) instead of being recorded.
 */
export async function runPipeline(deps: PipelineDeps): Promise<ScanReport> {
  const { settings, store, log, source } = deps;
  const report = emptyScanReport(source.name);
  const startedAt = deps.now();
  const scrub = deps.scrub ?? redactSecrets;
  let watermark: Watermark | null = null;
  try {
    if (source.scope !== null) watermark = await store.getWatermark(source.scope);
  } catch (err) {
    // Without the state store nothing can be scanned safely, nor the failure counted: report and stop.
    const signIn = signInFailure(err);
    report.error = signIn ?? `cannot read the scan state: ${scrub(errorMessage(err))}`;
    report.errorKind = signIn ? 'user' : 'unexpected';
    log.error(`scan failed before it started; the window will be read when the state store is reachable: ${report.error}`);
    return report;
  }
  let notifiers: Notifier[] | null = null;
  let read: SourceRead | null = null;
  try {
    // First, so a run that fails later still knows where its window began (kept as the first watermark).
    read = await source.read({ now: startedAt, committed: watermark?.ingestedThrough ?? null, log });
    report.window = read.window;
    const ruleSet = await deps.loadRules();
    for (const warning of ruleSet.warnings) log.warn(warning);
    notifiers = deps.dryRun ? [] : deps.notifiersFor(ruleSet.destinations);
    const delivery = { store, notifiers, now: deps.now, log, leaseMs: settings.deliveryLeaseMs };
    if (!deps.dryRun) countDelivery(report, await retryOutbox(delivery));
    const lastSeen: Record<string, string> = { ...(watermark?.lastSeenByServer ?? {}) };
    const alerts: Alert[] = [];
    const cursors = await readAlerts({
      source, read, ruleSet, store, settings, now: deps.now, report, lastSeen,
      emit: deps.dryRun ?? ((found) => void alerts.push(...found)),
      persistSessions: !deps.dryRun,
      ...(deps.awaitSessions && !deps.dryRun ? { awaitSessions: deps.awaitSessions } : {}),
    });
    // Silence is judged per source that keeps state: a file has no "since".
    const silence = source.scope === null ? [] : silenceAlerts(lastSeen, startedAt, settings.silenceAlertAfterMs);
    for (const a of silence) log.warn(a.title);
    report.alerts += silence.length;
    if (deps.dryRun) {
      if (silence.length > 0) await deps.dryRun(silence);
      return report;
    }
    alerts.push(...silence);
    const sent = await deliverAlerts(alerts, delivery);
    countDelivery(report, sent);
    if (sent.unclaimed > 0) {
      // Neither sent nor in the ledger: only reading the records again can bring them back.
      throw new Error(`${sent.unclaimed} alerts could be neither sent nor recorded in the state store; the records will be read again`);
    }
    // Every alert of what was read is now sent, or recorded in the ledger/outbox: the source may move on.
    await source.commit(cursors);
    if (source.scope === null) return report;
    const next: Watermark = {
      ingestedThrough: read.position ?? watermark?.ingestedThrough ?? startedAt.toISOString(),
      lastSeenByServer: lastSeen,
      consecutiveFailures: 0,
      lastError: null,
    };
    await advance(store, source.scope, next, watermark, log);
    const removed = await store.cleanup(new Date(startedAt.getTime() - Math.max(RETENTION_MS, 2 * settings.maxLatenessMs)));
    if (removed > 0) log.info(`cleanup: removed ${removed} expired ledger and session rows`);
    return report;
  } catch (err) {
    if (source.scope === null) throw err;
    // A failed Azure sign-in is one line saying what to do, not the credential chain's dump.
    const signIn = signInFailure(err);
    report.error = signIn ?? scrub(errorMessage(err));
    report.errorKind = signIn !== null || err instanceof UserError ? 'user' : 'unexpected';
    if (deps.dryRun) return report;
    await recordScanFailure({
      store, scope: source.scope, sourceDescription: source.description, watermark,
      fallbackPosition: read?.window?.from ?? startedAt.toISOString(),
      notifiers, notifiersFor: deps.notifiersFor, now: deps.now, log, leaseMs: settings.deliveryLeaseMs,
    }, report);
    return report;
  }
}

async function advance(store: StateStore, scope: string, next: Watermark, current: Watermark | null, log: Logger): Promise<void> {
  try {
    await store.setWatermark(scope, next, current?.etag ?? null);
  } catch (err) {
    // An overlapping run advanced it first; its ledger claims and ours were insert-if-absent, so
    // nothing was sent twice and what was read is covered either way.
    if (err instanceof ConcurrencyError) log.warn('another scan run advanced the watermark first; keeping its value');
    else throw err;
  }
}
