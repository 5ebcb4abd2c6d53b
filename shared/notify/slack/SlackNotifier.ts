import { LogLevel, WebClient, type ChatPostMessageArguments, type FetchFunction, type Logger as SlackSdkLogger } from '@slack/web-api';
import type { Alert } from '../../model/Alert';
import { redactAlert } from '../../redact/redactAlert';
import { classifySlackError } from './classifySlackError';
import { sendMessages, toNotifyError, type DeliveryContext } from '../sendMessages';
import type { Notifier } from '../Notifier';
import { wantsDigest, type NotifierOptions } from '../NotifierOptions';
import { silentLogger, type Logger } from '../../util/Logger';
import { renderSlackAlert, renderSlackDigest } from './renderSlackMessages';
import type { SlackMessage } from './SlackMessage';
import { withRetry } from '../retryPolicy';

export interface SlackNotifierOptions extends NotifierOptions {
  token: string;
  /** Channel name (`#db-security`) or id (`C0123ABCD`). */
  channel: string;
  /** SLACK_API_URL (default https://slack.com/api/). */
  apiUrl?: string;
  /** Transport for the WebClient (proxies, TLS); globalThis.fetch by default. */
  fetch?: FetchFunction;
  /** History pages (200 messages each) findDelivered reads at most. */
  historyPages?: number;
}

/** Errors meaning "this token cannot read the channel": findDelivered cannot tell, it does not fail. */
const CANNOT_READ = new Set(['missing_scope', 'not_allowed', 'not_allowed_token_type', 'not_in_channel', 'channel_not_found', 'no_permission']);

/** Posts alerts with a bot token (chat.postMessage), each message carrying the alerts' metadata. */
export class SlackNotifier implements Notifier {
  readonly kind = 'slack';
  readonly destination: string;
  private readonly client: WebClient;
  private readonly logger: Logger;
  private channelId: string | null;

  constructor(private readonly options: SlackNotifierOptions) {
    this.destination = options.destination;
    this.logger = options.logger ?? silentLogger;
    this.channelId = /^[CGD][A-Z0-9]{6,}$/.test(options.channel) ? options.channel : null;
    const apiUrl = options.apiUrl ?? 'https://slack.com/api/';
    this.client = new WebClient(options.token, {
      slackApiUrl: apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`,
      // Our retry policy decides (retryPolicy.ts): the SDK neither retries nor sleeps on 429 by itself.
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      timeout: 15_000,
      logger: sdkLogger(this.logger, `slack destination "${options.destination}"`),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
  }

  async notify(alerts: Alert[], options: { signal?: AbortSignal } = {}): Promise<void> {
    if (alerts.length === 0) return;
    const safe = alerts.map(redactAlert);
    const render = this.options.render ?? {};
    const messages = wantsDigest(safe.length, this.options.digestThreshold) ? renderSlackDigest(safe, render) : safe.map((a) => renderSlackAlert(a, render));
    await sendMessages(messages, (m) => this.post(m), this.context(options.signal));
  }

  async findDelivered(keys: string[], since: Date): Promise<Set<string> | null> {
    const wanted = new Set(keys);
    const found = new Set<string>();
    if (wanted.size === 0) return found;
    try {
      const channel = await this.resolveChannelId();
      if (channel === null) return null;
      let cursor: string | undefined;
      for (let page = 0; page < (this.options.historyPages ?? 10); page++) {
        const res = await withRetry(
          () => this.client.conversations.history({ channel, oldest: String(since.getTime() / 1000), include_all_metadata: true, limit: 200, ...(cursor ? { cursor } : {}) }),
          classifySlackError,
          this.context(),
        );
        for (const message of res.messages ?? []) {
          const metadata = message.metadata as { event_type?: string; event_payload?: { alerts?: { key?: unknown }[] } } | undefined;
          if (metadata?.event_type !== 'pgaudit_alert') continue;
          for (const a of metadata.event_payload?.alerts ?? []) if (typeof a.key === 'string' && wanted.has(a.key)) found.add(a.key);
        }
        cursor = res.response_metadata?.next_cursor || undefined;
        if (found.size === wanted.size || !cursor) break;
      }
      return found;
    } catch (err) {
      const error = toNotifyError(err, this, []);
      if (CANNOT_READ.has(error.code)) {
        this.logger.warn(`slack destination "${this.destination}": cannot read channel history (${error.code}); alerts interrupted by a crash may be sent twice. Grant channels:history/groups:history (and channels:read for a channel name) to avoid that.`);
        return null;
      }
      throw error;
    }
  }

  private async post(message: SlackMessage): Promise<void> {
    const res = await this.client.chat.postMessage({
      channel: this.options.channel,
      text: message.text,
      blocks: message.blocks,
      metadata: message.metadata,
      unfurl_links: false,
      unfurl_media: false,
    } as unknown as ChatPostMessageArguments);
    if (typeof res.channel === 'string') this.channelId ??= res.channel;
  }

  /** conversations.history wants an id; a name is looked up once (needs channels:read / groups:read). */
  private async resolveChannelId(): Promise<string | null> {
    if (this.channelId) return this.channelId;
    const name = this.options.channel.replace(/^#/, '');
    let cursor: string | undefined;
    for (let page = 0; page < 20; page++) {
      const res = await withRetry(
        () => this.client.conversations.list({ types: 'public_channel,private_channel', exclude_archived: true, limit: 1000, ...(cursor ? { cursor } : {}) }),
        classifySlackError,
        this.context(),
      );
      const match = res.channels?.find((c) => c.name === name);
      if (match?.id) return (this.channelId = match.id);
      cursor = res.response_metadata?.next_cursor || undefined;
      if (!cursor) break;
    }
    return null;
  }

  private context(signal?: AbortSignal): DeliveryContext {
    return { destination: this.destination, kind: this.kind, classify: classifySlackError, ...this.options.retry, ...(signal ? { signal } : {}) };
  }
}

/** The SDK's own log lines go to our logger (warnings only; its debug lines are not needed). */
function sdkLogger(logger: Logger, prefix: string): SlackSdkLogger {
  let level = LogLevel.WARN;
  return {
    debug() {},
    info() {},
    warn: (...msg: unknown[]) => logger.warn(`${prefix}: ${msg.map(String).join(' ')}`),
    error: (...msg: unknown[]) => logger.error(`${prefix}: ${msg.map(String).join(' ')}`),
    setLevel: (l: LogLevel) => void (level = l),
    getLevel: () => level,
    setName() {},
  };
}
