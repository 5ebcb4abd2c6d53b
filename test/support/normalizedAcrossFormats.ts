import type { AuditEvent } from '../../shared/model/AuditEvent';

/**
 * The events of one run reduced to what every format carries, sorted, so the formats can be compared with
 * each other directly: no server, session id, pid, application or time (not every format has them, and
 * `%t` can differ from csvlog/jsonlog by a second). With `maxStatementBytes`, events whose statement is longer are dropped (Azure loses such lines).
 */
export function normalizedAcrossFormats(events: AuditEvent[], maxStatementBytes: number | null): string[] {
  return events
    .filter((e) => maxStatementBytes === null || Buffer.byteLength(e.statement ?? '', 'utf8') < maxStatementBytes)
    .map((e) => {
      const copy: Partial<AuditEvent> = { ...e };
      delete copy.time; // compared per format against jsonlog (%t may fall in a neighbouring second)
      delete copy.server;
      delete copy.sessionId;
      delete copy.sessionIdFrom; // only formats without %c have it
      delete copy.pid;
      delete copy.application;
      return JSON.stringify(copy);
    })
    .sort();
}
