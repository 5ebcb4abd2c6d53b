import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';
import type { EmailClientOptions } from '@azure/communication-email';
import type { FetchFunction } from '@slack/web-api';
import { UserError } from '../errors/UserError';
import type { Destination } from '../model/Destination';
import { EmailNotifier } from './email/EmailNotifier';
import type { Notifier } from './Notifier';
import type { NotifierOptions } from './NotifierOptions';
import { silentLogger, type Logger } from '../util/Logger';
import type { RenderOptions } from './message/RenderOptions';
import { SlackNotifier } from './slack/SlackNotifier';
import { SlackWebhookNotifier } from './slack/SlackWebhookNotifier';

/** The settings the transports read (settings/Settings has them all; tests may pass just these). */
export interface NotifySettings {
  slackBotToken: string | null;
  slackChannel: string | null;
  slackWebhookUrl: string | null;
  slackApiUrl: string;
  acsConnectionString: string | null;
  acsEndpoint: string | null;
  emailFrom: string | null;
  emailTo: string[];
  digestThreshold: number;
}

export interface NotifierDeps {
  log?: Logger;
  /** Credential for ACS_ENDPOINT (managed identity); DefaultAzureCredential by default. */
  emailCredential?: TokenCredential;
  emailClientOptions?: EmailClientOptions;
  /** Transport for the Slack clients (proxies, tests). */
  slackFetch?: FetchFunction;
  render?: RenderOptions;
  retry?: NotifierOptions['retry'];
  /** Email poll interval and bound (defaults 2 s / 60 s). */
  emailPoll?: { intervalMs?: number; timeoutMs?: number };
}

/**
 * One Notifier per destination per transport it names: `slack` → the bot (SLACK_BOT_TOKEN) or else the
 * webhook (SLACK_WEBHOOK_URL); `email` → ACS. Without destinations in the rules file, a `default`
 * destination is made from SLACK_CHANNEL / SLACK_WEBHOOK_URL / EMAIL_TO; with neither, there is no
 * destination and that is a settings error (NO_DESTINATION). Every missing setting is reported at once,
 * naming the destination and the setting; no message ever contains a credential.
 */
export function createNotifiers(settings: NotifySettings, destinations: Destination[], deps: NotifierDeps = {}): Notifier[] {
  const log = deps.log ?? silentLogger;
  const list = destinations.length > 0 ? destinations : defaultDestinations(settings);
  if (list.length === 0) {
    // Alerts with nowhere to go would be counted and dropped: refuse to run instead (a dry run never gets here).
    throw new UserError(NO_DESTINATION_MESSAGE, { code: 'NO_DESTINATION' });
  }
  const problems: string[] = [];
  const notifiers: Notifier[] = [];
  const common = (destination: string): NotifierOptions => ({
    destination,
    digestThreshold: settings.digestThreshold,
    logger: log,
    ...(deps.render ? { render: deps.render } : {}),
    ...(deps.retry ? { retry: deps.retry } : {}),
  });
  let credential = deps.emailCredential;

  for (const d of list) {
    const where = `destination "${d.name}"`;
    if (!d.slack && !d.email) problems.push(`${where} names no transport (slack or email)`);
    if (d.slack) {
      if (settings.slackBotToken) {
        const channel = d.slack.channel ?? settings.slackChannel;
        if (!channel) problems.push(`${where} posts to Slack with SLACK_BOT_TOKEN but has no channel: set SLACK_CHANNEL or destinations.${d.name}.slack.channel`);
        else notifiers.push(new SlackNotifier({ ...common(d.name), token: settings.slackBotToken, channel, apiUrl: settings.slackApiUrl, ...(deps.slackFetch ? { fetch: deps.slackFetch } : {}) }));
      } else if (settings.slackWebhookUrl) {
        notifiers.push(new SlackWebhookNotifier({ ...common(d.name), url: settings.slackWebhookUrl, requestedChannel: d.slack.channel ?? null, ...(deps.slackFetch ? { fetch: deps.slackFetch } : {}) }));
      } else {
        problems.push(`${where} posts to Slack but neither SLACK_BOT_TOKEN nor SLACK_WEBHOOK_URL is set`);
      }
    }
    if (d.email) {
      const to = d.email.to && d.email.to.length > 0 ? d.email.to : settings.emailTo;
      const missing: string[] = [];
      if (!settings.acsConnectionString && !settings.acsEndpoint) missing.push('ACS_CONNECTION_STRING (or ACS_ENDPOINT with a managed identity)');
      if (!settings.emailFrom) missing.push('EMAIL_FROM (an address of a verified sender domain)');
      if (to.length === 0) missing.push(`EMAIL_TO or destinations.${d.name}.email.to`);
      if (settings.acsConnectionString && !/^\s*endpoint=https?:\/\/[^;]+;\s*accesskey=[^;]+;?\s*$/i.test(settings.acsConnectionString)) {
        // The SDK's own error would print the connection string; say what is wrong instead.
        missing.push('a valid ACS_CONNECTION_STRING: it must look like endpoint=https://NAME.communication.azure.com/;accesskey=KEY');
      }
      if (missing.length > 0) {
        problems.push(`${where} sends email but needs ${missing.join(', ')}`);
        continue;
      }
      const connection = settings.acsConnectionString
        ? { connectionString: settings.acsConnectionString }
        : { endpoint: settings.acsEndpoint!, credential: (credential ??= new DefaultAzureCredential()) };
      notifiers.push(
        new EmailNotifier({
          ...common(d.name),
          connection,
          from: settings.emailFrom!,
          to,
          ...(deps.emailClientOptions ? { clientOptions: deps.emailClientOptions } : {}),
          ...(deps.emailPoll?.intervalMs !== undefined ? { pollIntervalMs: deps.emailPoll.intervalMs } : {}),
          ...(deps.emailPoll?.timeoutMs !== undefined ? { pollTimeoutMs: deps.emailPoll.timeoutMs } : {}),
        }),
      );
    }
  }
  if (problems.length > 0) {
    throw new UserError(`notification settings:\n${problems.map((p) => `  - ${p}`).join('\n')}`, { code: 'NOTIFY_SETTINGS' });
  }
  if (settings.slackBotToken && settings.slackWebhookUrl && list.some((d) => d.slack)) {
    log.warn('both SLACK_BOT_TOKEN and SLACK_WEBHOOK_URL are set; Slack destinations use the bot token');
  }
  return notifiers;
}

export const NO_DESTINATION_MESSAGE =
  'no destination is configured, so alerts would go nowhere: set SLACK_CHANNEL (with SLACK_BOT_TOKEN) or SLACK_WEBHOOK_URL, '
  + 'and/or EMAIL_TO (with EMAIL_FROM and ACS_CONNECTION_STRING or ACS_ENDPOINT), '
  + 'or define destinations: in the rules file (AUDIT_RULES_PATH, default config/rules.yaml)';

/** The `default` destination from settings alone, or none when no transport is configured. */
export function defaultDestinations(settings: NotifySettings): Destination[] {
  const slack = settings.slackChannel || settings.slackWebhookUrl ? {} : undefined;
  const email = settings.emailTo.length > 0 ? {} : undefined;
  if (!slack && !email) return [];
  return [{ name: 'default', ...(slack ? { slack } : {}), ...(email ? { email } : {}) }];
}
