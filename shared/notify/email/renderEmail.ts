import type { Alert } from '../../model/Alert';
import { alertFacts, alertHeadline } from '../message/alertFacts';
import { escapeHtml, escapeHtmlLine } from './escapeHtml';
import { singleLine } from '../message/plainText';
import { alertLine, countPerRule, digestHeadline, digestOrder } from '../message/digest';
import { renderAlertText, renderDigestText } from '../text/renderAlertText';
import type { RenderOptions } from '../message/RenderOptions';
import { truncateEscaped, truncationNote } from '../message/truncateText';

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

const STATEMENT_CHARS = 20_000;
const DIGEST_FULL = 3;
const STYLE = 'font-family:Segoe UI,Helvetica,Arial,sans-serif;font-size:14px';
const TEST_NOTE = '<p style="background:#fff3cd;padding:8px"><b>Test alert from pgaudit-alerts notify-test</b>: no action needed.</p>';

/** `[HIGH] Title — server`: one line, whatever the database put in the server name. */
export function emailSubject(alert: Alert, test = false): string {
  return oneLine(`${test ? 'TEST ' : ''}${alertHeadline(alert)}${alert.event.server ? ` — ${alert.event.server}` : ''}`);
}

/** One alert as an email (HTML and plain text). */
export function renderAlertEmail(alert: Alert, options: RenderOptions = {}): RenderedEmail {
  const html = `<div style="${STYLE}">${options.test ? TEST_NOTE : ''}${alertHtml(alert, options, STATEMENT_CHARS, 'h2')}</div>`;
  return { subject: emailSubject(alert, options.test), html, text: renderAlertText(alert, options, STATEMENT_CHARS) };
}

/** Many alerts as one email: counts per rule, the first few in full, one line for each of the rest. */
export function renderDigestEmail(unordered: Alert[], options: RenderOptions = {}): RenderedEmail {
  const alerts = digestOrder(unordered);
  const counts = countPerRule(alerts)
    .map((c) => `<tr><td>${escapeHtmlLine(c.rule)}</td><td>${c.severity}</td><td>${escapeHtmlLine(c.title)}</td><td style="text-align:right">${c.count}</td></tr>`)
    .join('');
  const full = alerts.slice(0, DIGEST_FULL).map((a) => `<hr>${alertHtml(a, options, 2000, 'h3')}`).join('');
  const rest = alerts.slice(DIGEST_FULL).map((a) => `<li>${escapeHtmlLine(alertLine(a))}</li>`).join('');
  const html =
    `<div style="${STYLE}">${options.test ? TEST_NOTE : ''}<h2>${escapeHtmlLine(digestHeadline(alerts))}</h2>` +
    `<table cellpadding="4" style="border-collapse:collapse"><tr><th align="left">Rule</th><th align="left">Severity</th><th align="left">Title</th><th>Alerts</th></tr>${counts}</table>` +
    full +
    (rest ? `<hr><p>The other ${alerts.length - DIGEST_FULL} alerts:</p><ul>${rest}</ul>` : '') +
    '</div>';
  return { subject: oneLine(`${options.test ? 'TEST ' : ''}${digestHeadline(alerts)}`), html, text: renderDigestText(alerts, options, DIGEST_FULL) };
}

function alertHtml(alert: Alert, options: RenderOptions, statementChars: number, heading: 'h2' | 'h3'): string {
  const rows = alertFacts(alert)
    .map((f) => `<tr><th align="left" valign="top">${f.label}</th><td>${escapeHtmlLine(f.value)}</td></tr>`)
    .join('');
  const statement = alert.event.statement;
  let statementHtml = '<p><i>Statement not logged.</i></p>';
  if (statement !== null) {
    const { text, omitted } = truncateEscaped(statement, statementChars, escapeHtml);
    statementHtml =
      `<pre style="background:#f4f4f4;padding:8px;white-space:pre-wrap">${text}</pre>` +
      (omitted > 0 ? `<p><i>${truncationNote(omitted)}</i></p>` : '') +
      (alert.event.truncated ? '<p><i>The log record itself was cut off by the server.</i></p>' : '');
  }
  const link = options.logsLink?.(alert);
  return (
    `<${heading}>${escapeHtmlLine(alertHeadline(alert))}</${heading}>` +
    (alert.description ? `<p>${escapeHtml(alert.description.trim())}</p>` : '') +
    `<table cellpadding="4">${rows}</table>${statementHtml}` +
    `<p style="color:#666">Key: <code>${escapeHtmlLine(alert.key)}</code>` +
    (link ? ` · <a href="${escapeHtml(link)}">Session in Log Analytics</a>` : '') +
    '</p>'
  );
}

/** A subject is one line: newlines, controls and bidi characters shown escaped, never cut inside an escape. */
function oneLine(text: string): string {
  const { text: cut, omitted } = truncateEscaped(text, 199, singleLine);
  return omitted > 0 ? cut + '…' : cut;
}
