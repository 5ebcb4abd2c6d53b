import { plainText, singleLine } from '../message/plainText';

/**
 * Slack's mrkdwn has no escape character: `&`, `<` and `>` are the only characters it decodes from
 * entities (api.slack.com/reference/surfaces/formatting#escaping), and encoding them is what keeps
 * `<!channel>`, `<@U…>` and `<https://evil|log in>` literal. `*bold*`, `_italic_`, `~strike~`
 * and backticks cannot be escaped, so database text goes inside code (where none of them
 * format) with its backticks replaced by a look-alike (U+02CB) that can neither open nor close code.
 */
function entities(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/`/g, '\u02cb');
}

/** Database text inside a ``` block: newlines stay, everything invisible is made visible. */
export function escapeSlackCode(text: string): string {
  return entities(plainText(text));
}

/** Database text inside an inline `code` span: one line. */
export function escapeSlackInline(text: string): string {
  return entities(singleLine(text));
}

/**
 * Text outside code (the notification text, titles): one line, and the formatting characters
 * replaced by look-alikes (∗ ˍ ∼ ˋ) since mrkdwn cannot escape them; `@` becomes ＠ so no
 * `@channel` can ever be read as a mention, whatever `link_names` says.
 */
export function escapeSlack(text: string): string {
  return entities(singleLine(text)).replace(/[*_~@]/g, (c) => LOOK_ALIKE[c]!);
}

const LOOK_ALIKE: Record<string, string> = { '*': '\u2217', _: '\u02cd', '~': '\u223c', '@': '\uff20' };
