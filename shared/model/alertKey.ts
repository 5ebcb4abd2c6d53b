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
 */
export function alertKey(
  event: Pick<AuditEvent, 'server' | 'sessionId' | 'statementId' | 'substatementId' | 'statement' | 'trust'>,
  rule: string,
): string {
  const key = [event.server ?? '-', event.sessionId ?? '-', event.statementId, event.substatementId, rule].join('/');
  if (event.trust === undefined) return key;
  return `${key}/${createHash('sha256').update(event.statement ?? '').digest('hex').slice(0, 12)}`;
}
