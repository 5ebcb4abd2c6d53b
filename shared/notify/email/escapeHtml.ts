import { plainText } from '../message/plainText';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Database text inside HTML (element content and quoted attribute values); control characters made visible. */
export function escapeHtml(text: string): string {
  return plainText(text).replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}
