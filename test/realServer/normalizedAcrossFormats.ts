import type { AuditEvent } from '../../shared/model/AuditEvent';

/**
 * The events of one run reduced to what every format carries, sorted, so the formats can be compared with
 * each other directly: no server, session id, pid or application (not every format has them), time to the
 * second. With `maxStatementBytes`, events whose statement is longer are dropped (Azure loses such lines).
 */
export function normalizedAcrossFormats(events: AuditEvent[], maxStatementBytes: number | null): string[] {
  return events
    .filter((e) => maxStatementBytes === null || Buffer.byteLength(e.statement ?? '', 'utf8') < maxStatementBytes)
    .map((e) => {
      const copy: Partial<AuditEvent> = { ...e, time: e.time === null ? null : String(Math.floor(Date.parse(e.time) / 1000)) };
      delete copy.server;
      delete copy.sessionId;
      delete copy.pid;
      delete copy.application;
      return JSON.stringify(copy);
    })
    .sort();
}
