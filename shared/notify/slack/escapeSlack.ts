import { plainText } from '../message/plainText';

/**
 * Database text inside Slack mrkdwn. Slack reads `<...>` as mentions and links (`<!channel>`,
 * `<https://evil|log in>`) and `&` as the start of an entity; escaping these three makes every
 * such sequence print literally. Backticks become a look-alike (U+02CB) so the text can neither
 * open nor close a code block, and control characters become visible `\xNN`.
 */
export function escapeSlack(text: string): string {
  return plainText(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/`/g, '\u02cb');
}

/** Text inside a ``` block: the same escaping (kept as its own name for the call sites' sake). */
export const escapeSlackCode = escapeSlack;
