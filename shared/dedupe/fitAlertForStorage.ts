import type { Alert } from '../model/Alert';

/** A Table Storage string property holds at most 64 KiB of UTF-16, i.e. 32768 characters; keep a margin. */
export const MAX_ALERT_JSON_CHARS = 32_000;
export const STORAGE_TRUNCATION_MARK = '…[truncated for storage]';

/**
 * The alert as JSON that fits one Table Storage property. Never fails: a statement too long to fit is cut
 * (and marked) first; if the event is still too large (huge parameter lists or line lists), those are cut too.
 * The ledger stores the alert so the outbox can resend it; a cut statement beats a lost alert.
 */
export function fitAlertForStorage(alert: Alert, maxChars = MAX_ALERT_JSON_CHARS): string {
  let json = JSON.stringify(alert);
  if (json.length <= maxChars) return json;

  const event = { ...alert.event, truncated: true as const };
  let candidate: Alert = { ...alert, event };
  // Removing k characters from the statement shortens the JSON by at least k (escapes only add), so this
  // converges in a round or two even for text full of characters JSON escapes.
  if (event.statement !== null) {
    let body = event.statement;
    for (let round = 0; round < 8; round++) {
      event.statement = body + STORAGE_TRUNCATION_MARK;
      json = JSON.stringify(candidate);
      if (json.length <= maxChars || body.length === 0) break;
      body = cutAt(body, Math.max(0, body.length - (json.length - maxChars) - 16));
    }
  }
  if (json.length <= maxChars) return json;

  // Still too large: parameters, then lines and objects, then description. Each step is marked by `truncated`.
  const steps: (() => void)[] = [
    () => { event.parameters = null; },
    () => { event.lines = event.lines.slice(0, 10); event.objects = event.objects.slice(0, 10); },
    () => { candidate = { ...candidate, description: undefined }; },
    () => { event.statement = STORAGE_TRUNCATION_MARK; event.lines = []; event.objects = []; },
    () => { candidate = { ...candidate, title: cutAt(candidate.title, 200) + STORAGE_TRUNCATION_MARK }; },
  ];
  for (const step of steps) {
    step();
    json = JSON.stringify(candidate);
    if (json.length <= maxChars) return json;
  }
  // Only pathological keys, rule ids or identity fields remain: keep the alert's identity, drop the event body.
  return JSON.stringify({ ...candidate, event: { ...event, user: null, database: null, application: null, client: null } });
}

/** Cuts to at most `length` UTF-16 units without splitting a surrogate pair. */
function cutAt(text: string, length: number): string {
  if (text.length <= length) return text;
  const code = text.charCodeAt(length - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? length - 1 : length);
}
