import { createHash } from 'node:crypto';
import type { AuditEvent } from './AuditEvent';

/**
 * The identity of an alert: the same statement matched by the same rule always yields the same key,
 * however many times (or in however many overlapping runs) it is read.
 * Format: `server/sessionId/statementId/substatementId/rule/digest` (`-` for an unknown server or session).
 * The digest (12 hex digits of SHA-256 over the statement text and the set of its lines) keeps two
 * different statements that claim the same ids — a forged record and the real one — from sharing a key,
 * so neither can be dropped as a duplicate of the other. It does not depend on the order lines were read.
 */
export function alertKey(
  event: Pick<AuditEvent, 'server' | 'sessionId' | 'statementId' | 'substatementId' | 'statement' | 'lines'>,
  rule: string,
): string {
  return [event.server ?? '-', event.sessionId ?? '-', event.statementId, event.substatementId, rule, statementDigest(event)].join('/');
}

function statementDigest(event: Pick<AuditEvent, 'statement' | 'lines'>): string {
  const lines = event.lines.map((l) => JSON.stringify([l.auditType, l.class, l.command, l.objectType, l.objectName])).sort();
  return createHash('sha256').update(JSON.stringify([event.statement, lines])).digest('hex').slice(0, 12);
}
