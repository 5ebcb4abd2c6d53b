import type { LogTimestamps } from './LogTimestamps';

/** A row's time column (ISO 8601 from Log Analytics, or PostgreSQL's format in the archive) as ISO UTC. */
export function toIsoTime(value: string | null, timestamps: LogTimestamps): string | null {
  if (value === null) return null;
  const fromLog = timestamps.toIso(value);
  if (fromLog !== null) return fromLog;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}
