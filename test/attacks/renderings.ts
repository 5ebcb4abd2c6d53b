import type { Alert } from '../../shared/model/Alert';
import { renderAlertEmail, renderDigestEmail } from '../../shared/notify/email/renderEmail';
import { renderAlertText, renderDigestText } from '../../shared/notify/text/renderAlertText';
import { renderSlackAlert, renderSlackDigest } from '../../shared/notify/slack/renderSlackMessages';
import type { SlackMessage } from '../../shared/notify/slack/SlackMessage';

export interface Renderings {
  text: string;
  slack: SlackMessage[];
  email: { subject: string; html: string; text: string };
}

/** An alert as each destination renders it: console/email text, Slack Block Kit, email HTML. */
export function renderAlert(alert: Alert): Renderings {
  return { text: renderAlertText(alert), slack: [renderSlackAlert(alert)], email: renderAlertEmail(alert) };
}

/** Many alerts as a digest in each rendering. */
export function renderDigest(alerts: Alert[]): Renderings {
  return { text: renderDigestText(alerts), slack: renderSlackDigest(alerts), email: renderDigestEmail(alerts) };
}

/** Every text of a Slack message (fallback text, header and section texts, fields, context). */
export function slackTexts(message: SlackMessage): string[] {
  const texts: string[] = [message.text];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.text === 'string') texts.push(o.text);
      for (const [k, x] of Object.entries(o)) if (k !== 'text' || typeof x !== 'string') walk(x);
    }
  };
  walk(message.blocks);
  return texts;
}
