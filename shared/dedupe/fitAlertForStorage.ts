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
  const json = JSON.stringify(alert);
  if (json.length <= maxChars) return json;

  const event = { ...alert.event, truncated: true as const };
  let candidate: Alert = { ...alert, event };
  const statement = event.statement;
  // Cheapest loss first: the statement tail; only when even an empty statement cannot fit do parameters,
  // then long line/object lists, then the description go (and the statement is tried again after each).
  const shrink: (() => void)[] = [
    () => undefined,
    () => { event.parameters = null; },
    () => { event.lines = event.lines.slice(0, 10); event.objects = event.objects.slice(0, 10); },
    () => { candidate = { ...candidate, description: undefined }; },
    () => { candidate = { ...candidate, title: cutAt(candidate.title, 200) + STORAGE_TRUNCATION_MARK }; },
  ];
  for (const step of shrink) {
    step();
    const fitted = fitStatement(candidate, event, statement, maxChars);
    if (fitted !== null) return fitted;
  }
  // Only pathological keys, rule ids or identity fields remain: keep the alert's identity, drop the rest.
  event.statement = STORAGE_TRUNCATION_MARK;
  event.lines = [];
  event.objects = [];
  return JSON.stringify({ ...candidate, event: { ...event, user: null, database: null, application: null, client: null } });
}

/**
 * The JSON with the longest statement prefix that fits, or null when even an empty one does not. Binary
 * search, because JSON escapes make a cut's serialized length unpredictable (a control character takes six).
 */
function fitStatement(candidate: Alert, event: { statement: string | null }, full: string | null, maxChars: number): string | null {
  event.statement = full;
  let json = JSON.stringify(candidate);
  if (json.length <= maxChars) return json;
  if (full === null) return null;
  const fits = (length: number) => {
    event.statement = cutAt(full, length) + STORAGE_TRUNCATION_MARK;
    json = JSON.stringify(candidate);
    return json.length <= maxChars;
  };
  if (!fits(0)) {
    event.statement = full;
    return null;
  }
  let low = 0;
  let high = Math.min(full.length, maxChars);
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (fits(mid)) low = mid;
    else high = mid - 1;
  }
  fits(low);
  return json;
}

/** Cuts to at most `length` UTF-16 units without splitting a surrogate pair. */
function cutAt(text: string, length: number): string {
  if (text.length <= length) return text;
  const code = text.charCodeAt(length - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? length - 1 : length);
}
