/**
 * Database text inside Slack mrkdwn. Slack reads `<...>` as mentions and links (`<!channel>`,
 * `<https://evil|log in>`) and `&` as the start of an entity; escaping these three makes every
 * such sequence print literally.
 */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Text inside a ``` block: escaped as above, and backticks replaced by a look-alike (U+02CB) so
 * the text cannot close the block and turn the rest into formatting.
 */
export function escapeSlackCode(text: string): string {
  return escapeSlack(text).replace(/`/g, '\u02cb');
}
