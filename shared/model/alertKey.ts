import type { AuditEvent } from './AuditEvent';

/**
 * The identity of an alert: the same statement matched by the same rule always yields the same key,
 * however many times (or in however many overlapping runs) it is read.
 * Format: `server/sessionId/statementId/substatementId/rule` (`-` for an unknown server or session).
 */
export function alertKey(event: Pick<AuditEvent, 'server' | 'sessionId' | 'statementId' | 'substatementId'>, rule: string): string {
  return [event.server ?? '-', event.sessionId ?? '-', event.statementId, event.substatementId, rule].join('/');
}
