import { NotifyError } from './Notifier';
import type { Sleep } from '../util/sleep';
import { SendFailure, withRetry, type FailureKind, type RetryPolicy } from './retryPolicy';

export interface DeliveryContext {
  destination: string;
  kind: string;
  classify: (err: unknown) => FailureKind;
  policy?: RetryPolicy;
  sleep?: Sleep;
  random?: () => number;
  signal?: AbortSignal;
}

/**
 * Sends messages in order, each with the retry policy. Stops at the first message that cannot be
 * delivered (a permanent error would fail the rest the same way; a retryable one is retried next run)
 * and throws a NotifyError listing the keys of the messages that did get through.
 */
export async function sendMessages<M extends { keys: string[] }>(messages: M[], send: (message: M) => Promise<void>, ctx: DeliveryContext): Promise<void> {
  const delivered: string[] = [];
  for (const message of messages) {
    try {
      await withRetry(() => send(message), ctx.classify, ctx);
    } catch (err) {
      throw toNotifyError(err, ctx, delivered);
    }
    delivered.push(...message.keys);
  }
}

/**
 * The error says which destination and what failed, never with what credentials: SDK errors are
 * kept as `cause` only after the transport made sure they carry no secret.
 */
export function toNotifyError(err: unknown, ctx: Pick<DeliveryContext, 'destination' | 'kind'>, delivered: string[]): NotifyError {
  if (err instanceof NotifyError) return err;
  const kind: FailureKind = err instanceof SendFailure ? err.kind : { permanent: false, code: 'unexpected' };
  const attempts = err instanceof SendFailure ? err.attempts : 1;
  const what = kind.permanent
    ? `permanent error ${kind.code} (not retried; fix the destination's settings)`
    : `${kind.code} after ${attempts} attempt(s); will be retried on the next run`;
  return new NotifyError(`destination "${ctx.destination}" (${ctx.kind}): ${what}; ${delivered.length} alert(s) delivered before the failure`, {
    destination: ctx.destination,
    retryable: !kind.permanent,
    code: kind.code,
    delivered,
    cause: err instanceof SendFailure ? err.cause : err,
  });
}
