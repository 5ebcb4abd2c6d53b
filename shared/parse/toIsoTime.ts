import { parseLogTimestamp } from '../source/parseLogTimestamp';

/** A row's time column (ISO 8601 from Log Analytics, or PostgreSQL's format in the archive) as ISO UTC. */
export function toIsoTime(value: string | null): string | null {
  if (value === null) return null;
  const fromLog = parseLogTimestamp(value);
  if (fromLog !== null) return fromLog;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}
