import { errorMessage } from '../errors/errorMessage';
import type { Alert } from '../model/Alert';
import { DEFAULT_LEASE_MS, sendBudgetMs, type DeliveryDeps } from './DeliveryDeps';
import { addDeliveryReport, emptyDeliveryReport, type DeliveryReport } from './DeliveryReport';
import { forEachLimited } from '../util/forEachLimited';
import { sendClaimed, type PermanentFailure } from './sendClaimed';

/**
 * Claims every (alert, destination) pair in the ledger (insert-if-absent, pending, leased), then sends what
 * this run won, one notify() per destination. A pair another run already claimed is skipped: that run
 * sends it, sent it, or parked it; its outbox entry covers a crash. Claims all come before any send.
 */
export async function claimAndSend(alerts: Alert[], deps: DeliveryDeps):
  Promise<{ report: DeliveryReport; permanent: PermanentFailure[] }> {
  const report = emptyDeliveryReport();
  const leaseMs = deps.leaseMs ?? DEFAULT_LEASE_MS;
  const notifiers = new Map(deps.notifiers.map((n) => [n.destination, n]));
  const now = deps.now();
  const leaseUntil = new Date(now.getTime() + leaseMs);

  const pairs: { alert: Alert; destination: string }[] = [];
  for (const alert of alerts) {
    for (const destination of new Set(alert.destinations ?? notifiers.keys())) {
      if (notifiers.has(destination)) {
        pairs.push({ alert, destination });
        continue;
      }
      report.unclaimed++;
      report.failures.push({ destination, code: 'no_notifier', message: `No notifier is configured for destination "${destination}"` });
      deps.log.error(`Alert ${alert.key} names destination "${destination}", which has no notifier; not delivered`);
    }
  }

  const won = new Map<string, Alert[]>();
  await forEachLimited(pairs, 8, async ({ alert, destination }) => {
    try {
      const claimed = await deps.store.claimDelivery({ key: alert.key, destination, alert, leaseUntil, createdAt: now });
      if (!claimed) {
        report.duplicatesSkipped++;
        return;
      }
      const list = won.get(destination) ?? [];
      list.push(alert);
      won.set(destination, list);
    } catch (err) {
      report.unclaimed++;
      report.failures.push({ destination, code: 'state_store', message: errorMessage(err) });
      deps.log.error(`Could not claim alert ${alert.key} for ${destination}; not sent: ${errorMessage(err)}`);
    }
  });

  const permanent: PermanentFailure[] = [];
  const context = { store: deps.store, now: deps.now, log: deps.log, sendBudgetMs: sendBudgetMs(leaseMs) };
  await Promise.all([...won].map(async ([destination, claimed]) => {
    const outcome = await sendClaimed(notifiers.get(destination)!, claimed, context);
    addDeliveryReport(report, outcome.report);
    if (outcome.permanent) permanent.push(outcome.permanent);
  }));
  return { report, permanent };
}
