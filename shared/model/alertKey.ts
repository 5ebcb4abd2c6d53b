import { createHash } from 'node:crypto';
import type { AuditEvent } from './AuditEvent';

/**
 * The identity of an alert: the same statement matched by the same rule always yields the same key,
 * however many times (or in however many overlapping runs, each holding some of its lines) it is read.
 * Format: `server/sessionId/statementId/substatementId/rule` (`-` for an unknown server or session), and
 * for an event whose record is not trusted (`trust` set: forged, or unverified — see TrustGate) a
 * `/digest` more: 12 hex digits of SHA-256 over its statement text. The ids of a trusted event are
 * PostgreSQL's, unique in the session; those of an untrusted one are whatever was written, so without the
 * digest a forged record claiming the real statement's ids could take its key and have it dropped as a
 * duplicate (or be dropped for it). Trusted keys stay without digest so a statement whose lines arrive in
 * different runs (`<previously logged>` lines carry no text) keeps one key.
 * A session id made from the pid (`sessionIdFrom: 'pid'`, no `%c` in the log) depends on which of the
 * session's records a run saw first, so such an event's session is named `pid<pid>@<time>` instead: the pid
 * and the event's own first-line time, which every run that reads the statement sees the same.
 */
export function alertKey(
  event: Pick<AuditEvent, 'server' | 'sessionId' | 'pid' | 'time' | 'statementId' | 'substatementId' | 'statement' | 'trust' | 'sessionIdFrom'>,
  rule: string,
): string {
  const key = [event.server ?? '-', sessionPart(event), event.statementId, event.substatementId, rule].join('/');
  if (event.trust === undefined) return key;
  return `${key}/${createHash('sha256').update(event.statement ?? '').digest('hex').slice(0, 12)}`;
}

function sessionPart(event: Pick<AuditEvent, 'sessionId' | 'pid' | 'time' | 'sessionIdFrom'>): string {
  if (event.sessionIdFrom === 'pid' && event.pid !== null && event.time !== null) return `pid${event.pid}@${event.time}`;
  return event.sessionId ?? '-';
}
