import type { StateStore } from '../dedupe/StateStore';
import { errorMessage } from '../errors/errorMessage';
import type { Alert } from '../model/Alert';
import { NotifyError, type Notifier } from '../notify/Notifier';
import type { Logger } from '../util/Logger';
import { emptyDeliveryReport, type DeliveryReport } from './DeliveryReport';
import { forEachLimited } from '../util/forEachLimited';
import { markParked, markRetry, markSent, recordDelivery } from './recordDelivery';
import { routeName, transportOf } from './transportOf';

export interface PermanentFailure {
  destination: string;
  transport: string;
  kind: string;
  code: string;
  parked: number;
}

export interface SendContext {
  store: StateStore;
  now: () => Date;
  log: Logger;
  /** Abort the send after this long, so it ends while the claim's lease still protects it. */
  sendBudgetMs: number;
}

/**
 * Sends alerts this run has claimed to one transport of a destination in a single notify() call (so it can
 * digest them), then records the outcome per alert: sent; pending with backoff (retryable failure);
 * parked (permanent failure). Alerts a NotifyError lists as delivered are marked sent either way.
 */
export async function sendClaimed(notifier: Notifier, alerts: Alert[], ctx: SendContext):
  Promise<{ report: DeliveryReport; permanent: PermanentFailure | null }> {
  const report = emptyDeliveryReport();
  if (alerts.length === 0) return { report, permanent: null };
  const { destination, kind } = notifier;
  const transport = transportOf(notifier);
  const route = routeName(destination, transport);

  let failure: { delivered: Set<string>; retryable: boolean; code: string; message: string } | null = null;
  try {
    await notifier.notify(alerts, { signal: AbortSignal.timeout(ctx.sendBudgetMs) });
  } catch (err) {
    failure = err instanceof NotifyError
      ? { delivered: new Set(err.delivered), retryable: err.retryable, code: err.code, message: err.message }
      // Not our error type: the notifier broke. Whether anything got through is unknown; retry (the outbox
      // asks findDelivered first where the destination can tell).
      : { delivered: new Set(), retryable: true, code: 'unexpected', message: errorMessage(err) };
  }

  const now = ctx.now();
  let undelivered = 0;
  await forEachLimited(alerts, 8, async (alert) => {
    const sent = !failure || failure.delivered.has(alert.key);
    const decide = sent ? markSent(now)
      : failure!.retryable ? markRetry(now, `${failure!.code}: ${failure!.message}`)
        : markParked(`${failure!.code}: ${failure!.message}`);
    try {
      await recordDelivery(ctx.store, { key: alert.key, destination, transport }, decide);
      if (sent) report.delivered++;
      else if (failure!.retryable) report.pending++;
      else report.parked++;
    } catch (err) {
      // The row stays pending with its lease: the outbox retries it later (asking findDelivered first).
      if (sent) report.delivered++;
      else report.pending++;
      report.failures.push({ destination, transport, code: 'state_store', message: errorMessage(err) });
      ctx.log.error(`Alert ${alert.key} to ${route}: ${sent ? 'sent, but' : 'failed, and'} recording it failed `
        + `(${errorMessage(err)}); the outbox will retry it${sent ? ' and may send it once more' : ''}`);
    }
    if (!sent) undelivered++;
  });

  if (!failure) {
    ctx.log.info(`Delivered ${alerts.length} alert(s) to ${destination} (${kind})`);
    return { report, permanent: null };
  }
  report.failures.push({ destination, transport, code: failure.code, message: failure.message });
  const got = alerts.length - undelivered;
  if (failure.retryable) {
    ctx.log.warn(`Delivery to ${destination} (${kind}) failed (${failure.code}): ${failure.message}. `
      + `${got} of ${alerts.length} alert(s) got through; the rest stay pending and are retried by the next run`);
    return { report, permanent: null };
  }
  ctx.log.error(`Destination ${destination} (${kind}) refused alerts permanently (${failure.code}): ${failure.message}. `
    + `${undelivered} alert(s) parked and not retried: ${alerts.filter((a) => !failure!.delivered.has(a.key)).map((a) => a.key).join(', ')}`);
  return { report, permanent: { destination, transport, kind, code: failure.code, parked: undelivered } };
}
