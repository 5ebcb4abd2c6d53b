import { plainText, singleLine } from '../message/plainText';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Database text inside HTML (element content and quoted attribute values); invisible characters made visible. */
export function escapeHtml(text: string): string {
  return plainText(text).replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** escapeHtml for a one-line field: a newline shows as `\n` instead of breaking the line. */
export function escapeHtmlLine(text: string): string {
  return singleLine(text).replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}
