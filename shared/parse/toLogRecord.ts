import type { SourceRecord } from '../source/SourceRecord';
import type { LogLinePrefix } from './compileLogLinePrefix';
import type { LogRecord } from './LogRecord';
import { toIsoTime } from './toIsoTime';

/** A row time with a fraction of a second (`…:30.486Z`, `… 08:23:59.526 UTC`). */
const FRACTION = /:\d\d[.,]\d/;

/**
 * Applies the log_line_prefix to a line record (structured records pass through). Returns null when the
 * line does not fit the prefix. The row's own time and pid fill in what the prefix does not carry.
 */
export function toLogRecord(source: SourceRecord, prefix: LogLinePrefix): LogRecord | null {
  const base = { location: source.location, server: source.server };
  if (source.fields) {
    return { ...base, ...source.fields, time: prefix.timestamps.toIso(source.fields.time) ?? toIsoTime(source.rowTime, prefix.timestamps), pid: source.fields.pid ?? source.rowPid };
  }
  const line = source.line ?? '';
  const parsed = prefix.parse(line);
  if (parsed) {
    // Filled in place: this runs once per line of the input.
    const record = parsed as LogRecord;
    record.location = source.location;
    record.server = source.server;
    record.time ??= toIsoTime(source.rowTime, prefix.timestamps);
    record.pid ??= source.rowPid;
    // A Context column's text makes the record forged; an empty one proves nothing (Azure may log the
    // CONTEXT as a row of its own), so the neighbouring rows still decide.
    if (source.rowContext) record.context = source.rowContext;
    if (source.rowTime !== null && FRACTION.test(source.rowTime)) {
      const tie = toIsoTime(source.rowTime, prefix.timestamps);
      if (tie !== null) record.tieTime = tie;
    }
    return record;
  }
  // Some exports carry the message without prefix and severity; the row's columns give the rest.
  if (line.startsWith('AUDIT: ') && source.rowTime !== null) {
    return {
      ...base, time: toIsoTime(source.rowTime, prefix.timestamps), pid: source.rowPid, sessionId: null, sessionLine: null, user: null,
      database: null, application: null, client: null, severity: 'LOG', message: line,
      ...(source.rowContext ? { context: source.rowContext } : {}),
    };
  }
  return null;
}
