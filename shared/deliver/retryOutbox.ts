import { ConcurrencyError, type LedgerEntry } from '../dedupe/StateStore';
import { errorMessage } from '../errors/errorMessage';
import type { Notifier } from '../notify/Notifier';
import { DEFAULT_LEASE_MS, sendBudgetMs, type DeliveryDeps } from './DeliveryDeps';
import { addDeliveryReport, emptyDeliveryReport, type DeliveryReport } from './DeliveryReport';
import { forEachLimited } from '../util/forEachLimited';
import { markSent, recordDelivery } from './recordDelivery';
import { sendClaimed, type PermanentFailure } from './sendClaimed';
import { moveLegacyRows } from './legacyLedgerRows';
import { notifiersByRoute, routeKey, routeName, transportOf } from './transportOf';
import { warnOtherDestinations } from './warnOtherDestinations';

/**
 * Works through the outbox: pending ledger rows whose lease ran out (a retryable failure's backoff ended,
 * or a run died between claiming/sending and marking), one batch per destination and transport. Rows from
 * before per-transport delivery are first moved into one row per transport (see legacyLedgerRows). Each row is re-claimed by a conditional lease update,
 * so of two overlapping runs only one resends it. Because a crashed send may have reached the destination,
 * the destination is asked first (findDelivered) and what it already holds is marked sent, not resent.
 */
export async function retryOutbox(deps: DeliveryDeps & { limit?: number }): Promise<DeliveryReport> {
  const report = emptyDeliveryReport();
  const limit = deps.limit ?? 200;
  let due = await deps.store.listDue(deps.now(), limit);
  const legacy = due.filter((e) => e.transport === null);
  if (legacy.length > 0 && (await moveLegacyRows(legacy, deps, report)) > 0) due = await deps.store.listDue(deps.now(), limit);
  due = due.filter((e) => e.transport !== null);
  if (due.length === 0) return report;
  deps.log.info(`Outbox: ${due.length} alert(s) due for retry`);

  const byRoute = new Map<string, LedgerEntry[]>();
  for (const entry of due) {
    const key = routeKey(entry.destination, entry.transport);
    const list = byRoute.get(key);
    if (list) list.push(entry);
    else byRoute.set(key, [entry]);
  }
  const notifiers = notifiersByRoute(deps.notifiers);

  const permanent: PermanentFailure[] = [];
  await Promise.all([...byRoute].map(async ([key, entries]) => {
    const notifier = notifiers.get(key);
    if (!notifier) {
      // Left pending: a configuration that brings the transport back delivers them.
      const { destination, transport } = entries[0]!;
      report.pending += entries.length;
      report.failures.push({ destination, transport, code: 'no_notifier', message: `No notifier is configured for ${routeName(destination, transport)}` });
      deps.log.error(`Outbox: ${entries.length} pending alert(s) for ${routeName(destination, transport)}, which has no notifier`);
      return;
    }
    const outcome = await retryDestination(notifier, entries, deps);
    addDeliveryReport(report, outcome.report);
    if (outcome.permanent) permanent.push(outcome.permanent);
  }));
  await warnOtherDestinations(permanent, deps);
  return report;
}

async function retryDestination(notifier: Notifier, entries: LedgerEntry[], deps: DeliveryDeps):
  Promise<{ report: DeliveryReport; permanent: PermanentFailure | null }> {
  const report = emptyDeliveryReport();
  const leaseMs = deps.leaseMs ?? DEFAULT_LEASE_MS;
  const leaseUntil = new Date(deps.now().getTime() + leaseMs);

  const owned: LedgerEntry[] = [];
  await forEachLimited(entries, 8, async (entry) => {
    try {
      owned.push(await deps.store.updateDelivery(entry, { leaseUntil }));
    } catch (err) {
      if (err instanceof ConcurrencyError) {
        report.duplicatesSkipped++; // another run re-claimed (or finished) it first
        return;
      }
      report.pending++;
      report.failures.push({ destination: notifier.destination, transport: transportOf(notifier), code: 'state_store', message: errorMessage(err) });
      deps.log.error(`Outbox: could not re-claim ${entry.key} for ${notifier.destination}: ${errorMessage(err)}`);
    }
  });

  const held = await alreadyDelivered(notifier, owned, deps);
  const now = deps.now();
  await forEachLimited(owned.filter((e) => held.has(e.key)), 8, async (entry) => {
    try {
      await recordDelivery(deps.store, entry, markSent(now));
      report.delivered++;
    } catch (err) {
      report.pending++;
      report.failures.push({ destination: notifier.destination, transport: transportOf(notifier), code: 'state_store', message: errorMessage(err) });
    }
  });
  if (held.size > 0) deps.log.info(`Outbox: ${held.size} alert(s) were already at ${notifier.destination}; marked sent without resending`);

  // Oldest first, as the scan would have sent them (re-claims finish in any order).
  const resend = owned.filter((e) => !held.has(e.key)).sort(byAge).map((e) => e.alert);
  const outcome = await sendClaimed(notifier, resend, { store: deps.store, now: deps.now, log: deps.log, sendBudgetMs: sendBudgetMs(leaseMs) });
  addDeliveryReport(report, outcome.report);
  return { report, permanent: outcome.permanent };
}

/** Keys the destination already holds, or none when it cannot tell (then the outbox resends, at most once). */
async function alreadyDelivered(notifier: Notifier, entries: LedgerEntry[], deps: DeliveryDeps): Promise<Set<string>> {
  if (!notifier.findDelivered || entries.length === 0) return new Set();
  const since = new Date(Math.min(...entries.map((e) => e.createdAt.getTime())));
  try {
    const found = await notifier.findDelivered(entries.map((e) => e.key), since);
    return new Set([...(found ?? [])].filter((key) => entries.some((e) => e.key === key)));
  } catch (err) {
    deps.log.warn(`Outbox: could not ask ${notifier.destination} (${notifier.kind}) what it already holds; `
      + `resending ${entries.length} alert(s), which may duplicate some: ${errorMessage(err)}`);
    return new Set();
  }
}

function byAge(a: LedgerEntry, b: LedgerEntry): number {
  return a.createdAt.getTime() - b.createdAt.getTime()
    || (a.alert.event.time ?? '').localeCompare(b.alert.event.time ?? '')
    || a.key.localeCompare(b.key);
}
