import { IncomingWebhook, type FetchFunction } from '@slack/webhook';
import type { Alert } from '../../model/Alert';
import { redactAlert } from '../../redact/redactAlert';
import { httpStatusKind } from '../httpStatusKind';
import { sendMessages } from '../sendMessages';
import type { Notifier } from '../Notifier';
import { wantsDigest, type NotifierOptions } from '../NotifierOptions';
import { silentLogger } from '../../util/Logger';
import { renderSlackAlert, renderSlackDigest } from './renderSlackMessages';
import { parseRetryAfter } from '../../util/parseRetryAfter';
import type { FailureKind } from '../retryPolicy';

export interface SlackWebhookNotifierOptions extends NotifierOptions {
  /** SLACK_WEBHOOK_URL: a secret (its path is the credential); never logged. */
  url: string;
  /** Channels the destination asked for: a webhook cannot honour them, so they are only warned about. */
  requestedChannel?: string | null;
  fetch?: FetchFunction;
}

/**
 * Posts alerts to a Slack incoming webhook: one fixed channel, chosen when the webhook was created.
 * Messages carry the same metadata as the bot's (Slack accepts `metadata` on webhooks), but the
 * webhook answers only `ok` and cannot read history, so there is no crash-resend check (findDelivered
 * returns null).
 */
export class SlackWebhookNotifier implements Notifier {
  readonly kind = 'slack-webhook';
  readonly destination: string;
  private readonly webhook: IncomingWebhook;
  /** The SDK's HTTP errors drop the headers; the Retry-After of the last answer is kept here. */
  private lastRetryAfter: string | null = null;

  constructor(private readonly options: SlackWebhookNotifierOptions) {
    this.destination = options.destination;
    const baseFetch: FetchFunction = options.fetch ?? (globalThis.fetch as unknown as FetchFunction);
    this.webhook = new IncomingWebhook(options.url, {
      retryConfig: { retries: 0 },
      timeout: 15_000,
      fetch: async (url, init) => {
        const res = await baseFetch(url, init);
        this.lastRetryAfter = res.headers.get('retry-after');
        return res;
      },
    });
    if (options.requestedChannel) {
      (options.logger ?? silentLogger).warn(
        `slack destination "${options.destination}" asks for channel ${options.requestedChannel}, but SLACK_WEBHOOK_URL posts only to the channel chosen when the webhook was created; set SLACK_BOT_TOKEN to choose channels`,
      );
    }
  }

  async notify(alerts: Alert[], options: { signal?: AbortSignal } = {}): Promise<void> {
    if (alerts.length === 0) return;
    const safe = alerts.map(redactAlert);
    const render = this.options.render ?? {};
    const messages = wantsDigest(safe.length, this.options.digestThreshold) ? renderSlackDigest(safe, render) : safe.map((a) => renderSlackAlert(a, render));
    await sendMessages(
      messages,
      async (m) => {
        this.lastRetryAfter = null;
        await this.webhook.send({ text: m.text, blocks: m.blocks as never, metadata: m.metadata, unfurl_links: false, unfurl_media: false });
      },
      { destination: this.destination, kind: this.kind, classify: (err) => this.classify(err), ...this.options.retry, ...(options.signal ? { signal: options.signal } : {}) },
    );
  }

  async findDelivered(): Promise<Set<string> | null> {
    return null;
  }

  private classify(err: unknown): FailureKind {
    const e = err as { statusCode?: number; body?: string; code?: string };
    if (typeof e?.statusCode === 'number') {
      const kind = httpStatusKind(e.statusCode, parseRetryAfter(this.lastRetryAfter));
      // Slack names the problem in the body: no_service, channel_not_found, invalid_token, ...
      const reason = typeof e.body === 'string' && /^[a-z_]{3,60}$/.test(e.body.trim()) ? e.body.trim() : null;
      return reason ? { ...kind, code: `${kind.code} ${reason}` } : kind;
    }
    return { permanent: false, code: 'network_error' };
  }
}
