import type { Alert } from '../../model/Alert';
import { alertFacts, alertHeadline } from '../message/alertFacts';
import { escapeSlack, escapeSlackCode, escapeSlackInline } from './escapeSlack';
import { singleLine } from '../message/plainText';
import type { RenderOptions } from '../message/RenderOptions';
import { SLACK_LIMITS, type SlackBlock, type SlackText } from './SlackMessage';
import { truncateEscaped, truncationNote } from '../message/truncateText';

export const mrkdwn = (text: string): SlackText => ({ type: 'mrkdwn', text, verbatim: true });

/** Header blocks are plain text (never parsed for mentions or links), so only the length matters. */
export function headerBlock(text: string): SlackBlock {
  const { text: cut, omitted } = truncateEscaped(text, SLACK_LIMITS.headerText - 1, singleLine);
  return { type: 'header', text: { type: 'plain_text', text: omitted > 0 ? cut + '…' : cut, emoji: true } };
}

/** Escaped, cut to `max` characters with a visible note when it did not fit. */
export function slackTextWithin(raw: string, max: number): string {
  const note = ' ' + truncationNote(raw.length);
  const { text, omitted } = truncateEscaped(raw, max, escapeSlack);
  if (omitted === 0) return text;
  const shorter = truncateEscaped(raw, max - note.length, escapeSlack);
  return shorter.text + ' ' + truncationNote(shorter.omitted);
}

/**
 * Database text as an inline code span (where `*`, `_`, `~` do not format), cut to `max`
 * characters with a visible note outside the span when it did not fit.
 */
export function slackCodeWithin(raw: string, max: number): string {
  if (raw === '') return '_(empty)_';
  const { text, omitted } = truncateEscaped(raw, max - 2, escapeSlackInline);
  if (omitted === 0) return `\`${text}\``;
  const note = truncationNote(raw.length);
  const shorter = truncateEscaped(raw, Math.max(1, max - note.length - 3), escapeSlackInline);
  return `\`${shorter.text}\` ${truncationNote(shorter.omitted)}`;
}

/** The statement in a code block, within one section's limit. */
export function statementBlock(alert: Alert, maxChars: number = SLACK_LIMITS.sectionText): SlackBlock {
  const statement = alert.event.statement;
  if (statement === null) return { type: 'section', text: mrkdwn('*Statement*\n_(not logged)_') };
  const open = '*Statement*\n```';
  const close = '```';
  const serverCut = alert.event.truncated ? '\n_(the log record itself was cut off by the server)_' : '';
  const reserve = open.length + close.length + serverCut.length + 60;
  const { text, omitted } = truncateEscaped(statement, maxChars - reserve, escapeSlackCode);
  const note = omitted > 0 ? `\n_${truncationNote(omitted)}_` : '';
  return { type: 'section', text: mrkdwn(`${open}${text}${close}${note}${serverCut}`) };
}

/** All blocks of one alert shown in full: header, facts, statement, context (rule, key, link). */
export function slackAlertBlocks(
  alert: Alert,
  options: RenderOptions,
  { header, statementChars = SLACK_LIMITS.sectionText, fieldChars = 1000 }: { header: boolean; statementChars?: number; fieldChars?: number },
): SlackBlock[] {
  const blocks: SlackBlock[] = [];
  if (header) blocks.push(headerBlock(alertHeadline(alert)));
  else blocks.push({ type: 'section', text: mrkdwn(`*${slackTextWithin(alertHeadline(alert), 500)}*`) });
  const fields = alertFacts(alert)
    .slice(0, SLACK_LIMITS.fields)
    .map((f) => mrkdwn(`*${f.label}*\n${slackCodeWithin(f.value, Math.min(fieldChars, SLACK_LIMITS.field - f.label.length - 4))}`));
  blocks.push({ type: 'section', fields });
  blocks.push(statementBlock(alert, statementChars));
  const context: SlackText[] = [];
  if (alert.description) context.push(mrkdwn(slackTextWithin(alert.description.trim(), 1000)));
  context.push(mrkdwn(`key \`${escapeSlackInline(alert.key)}\``));
  const link = options.logsLink?.(alert);
  // Our own URL (percent-encoded), so no | or > can end the link early.
  if (link) context.push(mrkdwn(`<${link.replace(/[|<>]/g, encodeURIComponent)}|Session in Log Analytics>`));
  blocks.push({ type: 'context', elements: context });
  return blocks;
}
