/** The Block Kit subset these messages use, as plain JSON. */
export type SlackText = { type: 'mrkdwn'; text: string; verbatim: true } | { type: 'plain_text'; text: string; emoji: true };
export type SlackBlock =
  | { type: 'header'; text: Extract<SlackText, { type: 'plain_text' }> }
  | { type: 'section'; text?: SlackText; fields?: SlackText[] }
  | { type: 'context'; elements: SlackText[] }
  | { type: 'divider' };

/** One alert as listed in message metadata; unknown server/session are `-` (as in the alert key). */
export interface SlackMetadataAlert {
  [field: string]: string | number;
  rule: string;
  severity: string;
  key: string;
  server: string;
  sessionId: string;
  statementId: number;
  substatementId: number;
}

export interface SlackAlertMetadata {
  event_type: 'pgaudit_alert';
  event_payload: { alerts: SlackMetadataAlert[] };
}

/** One chat message: what chat.postMessage (or a webhook) sends, and the alert keys it carries. */
export interface SlackMessage {
  /** Notification / fallback text (escaped: Slack parses it for mentions too). */
  text: string;
  blocks: SlackBlock[];
  metadata: SlackAlertMetadata;
  keys: string[];
}

/** Slack's documented limits, and our own budget to stay well under the message size limit. */
export const SLACK_LIMITS = {
  sectionText: 3000,
  field: 2000,
  fields: 10,
  headerText: 150,
  blocks: 50,
  /** Total characters of block text per message; Slack's hard limit is far higher, latency and readability are not. */
  messageChars: 12_000,
  /** Alerts listed (and carried in metadata) per message. */
  alertsPerMessage: 40,
} as const;
