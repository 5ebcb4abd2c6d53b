import type { StateStore } from '../dedupe/StateStore';
import { deliverAlerts } from '../deliver/deliverAlerts';
import { mergeAuditRecords } from '../merge/mergeAuditRecords';
import type { RuleSet } from '../match/RuleSet';
import type { Alert } from '../model/Alert';
import type { AuditEvent } from '../model/AuditEvent';
import type { Notifier } from '../notify/Notifier';
import type { Settings } from '../settings/Settings';
import type { SourceItem } from '../source/SourceRecord';
import type { Logger } from '../util/Logger';
import { awaitInFlightSessions, type SessionWaitMemory } from './awaitInFlightSessions';
import type { LogSource } from './LogSource';
import { parseWarnings } from './parseWarnings';
import { countDelivery, emptyScanReport, type ScanReport } from './ScanReport';
import { scanEvents } from './scanEvents';
import { SessionResolver } from './SessionResolver';

export interface EventHubBatchDeps {
  settings: Pick<Settings, 'logLinePrefix' | 'logTimezone' | 'pgServers' | 'deliveryLeaseMs'>;
  ruleSet: RuleSet;
  store: StateStore;
  notifiers: Notifier[];
  /** Where a session's connection line is looked up when neither the batch nor the cache has it: Log Analytics where a workspace is set. */
  sessionLookup: LogSource;
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
  /** How long a batch may wait for connection lines on other partitions (awaitInFlightSessions). */
  sessionWaitMs: number;
  sessionWaits: SessionWaitMemory;
  log: Logger;
}

/**
 * One Event Hubs batch through the pipeline: merge → sessions → match → dedupe → deliver. Returning
 * normally is the commit: the host then checkpoints the batch. It throws when an alert could be neither
 * sent nor recorded, so the batch is not checkpointed and comes again (the ledger drops what was sent).
 *
 * Exactly once under at-least-once delivery: a redelivered batch makes the same alert keys, whose ledger
 * rows exist, so nothing is sent twice. Sessions span batches and partitions: this batch's connection
 * lines go to the session cache before anything waits on it, events of unknown recent sessions wait a
 * bounded time for another partition to cache theirs, then the cache and (with a workspace) Log Analytics
 * are asked, as in the Log Analytics scan.
 *
 * Split statements: the lines of one statement that arrive in different batches are merged within each
 * batch only, never held back across batches (a held line would wait for a batch that may never come, and
 * the host checkpoints what it handed us). Each part is matched on its own: every rule field is tested on
 * one line or on the statement's shared fields (user, database, statement text), so the part that arrived
 * raises what it can, and the rest raises its own alerts when it arrives. Both parts carry the statement's
 * ids, so a rule firing on both makes one key and one alert. An exception that only a later part's line
 * would satisfy cannot suppress an earlier part: split statements alert more, never less.
 */
export async function runEventHubBatch(items: SourceItem[], deps: EventHubBatchDeps): Promise<ScanReport> {
  const { settings, store, log } = deps;
  const report = emptyScanReport();
  report.rowsRead = items.length;
  const servers = new Set(settings.pgServers);
  const wanted = servers.size === 0 ? items : items.filter((i) => !('record' in i) || (i.record.server !== null && servers.has(i.record.server)));

  const resolver = new SessionResolver(store, deps.sessionLookup, settings.logLinePrefix, deps.now, settings.logTimezone);
  const merged = mergeAuditRecords(once(wanted), { prefix: settings.logLinePrefix, logTimezone: settings.logTimezone, onSessionContext: resolver.learn });
  const events: AuditEvent[] = [];
  for await (const batch of merged.batches) events.push(...batch);
  const summary = merged.summary();
  report.malformed = summary.malformed + summary.truncated;
  report.warnings.push(...parseWarnings(summary));

  // Ours first, so a batch of another partition waiting for these sessions finds them.
  await resolver.persist();
  const late = await awaitInFlightSessions(events, { store, now: deps.now, sleep: deps.sleep, maxWaitMs: deps.sessionWaitMs, memory: deps.sessionWaits });
  if (late > 0) report.warnings.push(`${late} recent sessions' connection lines did not reach the session cache within ${deps.sessionWaitMs} ms (another partition far behind, or log_connections off)`);
  await resolver.fill(events);
  await resolver.persist();
  if (resolver.unresolved > 0) {
    report.warnings.push(`${resolver.unresolved} events came from sessions whose connection line was found neither in the session cache nor in Log Analytics: their user and database are unknown (is log_connections on?)`);
  }

  const alerts: Alert[] = [];
  await scanEvents(once(events), deps.ruleSet, report, (found) => void alerts.push(...found));
  const delivery = await deliverAlerts(alerts, { store, notifiers: deps.notifiers, now: deps.now, log, leaseMs: settings.deliveryLeaseMs });
  countDelivery(report, delivery);
  if (delivery.unclaimed > 0) {
    throw new Error(`${delivery.unclaimed} alerts could be neither sent nor recorded in the state store; the batch will be delivered again`);
  }
  return report;
}

async function* once<T>(batch: T[]): AsyncGenerator<T[]> {
  if (batch.length > 0) yield batch;
}
