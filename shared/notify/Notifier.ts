import type { Alert } from '../model/Alert';

/**
 * A destination that can carry alerts (Slack channel, webhook, email recipients, console).
 * Transports stay small: message text comes from the shared renderers, retry policy from one place.
 */
export interface Notifier {
  /** The destination's name from the rules file (`destinations:` key), or `default`. */
  readonly destination: string;
  /** Kind of transport, for logs: `slack`, `slack-webhook`, `email`, `console`. */
  readonly kind: string;
  /**
   * Sends the alerts (one message each, or digests when there are many). Resolves when every alert
   * was accepted by the destination. Throws NotifyError otherwise; its `delivered` lists the keys
   * that did get through before the failure.
   */
  notify(alerts: Alert[], options?: { signal?: AbortSignal }): Promise<void>;
  /**
   * Which of `keys` the destination already holds (Slack channel history with message metadata),
   * used before resending alerts whose send may have been interrupted by a crash.
   * Returns null when the destination cannot tell (no history scope, webhook, email).
   */
  findDelivered?(keys: string[], since: Date): Promise<Set<string> | null>;
}

export class NotifyError extends Error {
  override readonly name = 'NotifyError';
  readonly destination: string;
  /** false for permanent failures (invalid_auth, channel_not_found, other 4xx): park, do not retry. */
  readonly retryable: boolean;
  /** Alert keys accepted before the failure. */
  readonly delivered: string[];
  readonly code: string;
  constructor(
    message: string,
    options: { destination: string; retryable: boolean; code: string; delivered?: string[]; cause?: unknown },
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.destination = options.destination;
    this.retryable = options.retryable;
    this.code = options.code;
    this.delivered = options.delivered ?? [];
  }
}
