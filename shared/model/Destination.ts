/**
 * A named place alerts go, from the rules file's `destinations:` map. A rule's `notify` lists names;
 * the settings say how to reach each transport (SLACK_BOT_TOKEN, ACS_CONNECTION_STRING, ...).
 * When the rules file defines no destinations, one destination named `default` is built from the
 * settings alone (SLACK_CHANNEL / SLACK_WEBHOOK_URL / EMAIL_TO).
 */
export interface Destination {
  name: string;
  /** Slack: `channel` overrides SLACK_CHANNEL (needs the bot token; a webhook posts to its own channel). */
  slack?: { channel?: string };
  /** Email: `to` overrides EMAIL_TO. */
  email?: { to?: string[] };
}
