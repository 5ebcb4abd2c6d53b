import type { AuditEvent } from './AuditEvent';

/**
 * Marks an event's identity contested. With `unknownUser` its user becomes unknown (`null`): who is behind the session cannot
 * be told, and naming the claimed user would let a forged or ambiguous line blame (or pass as) someone
 * else. The claim stays visible in `identityReason`, so the alert still says what the log claimed and why.
 */
export function contestIdentity(event: AuditEvent, reason: string, unknownUser: boolean): void {
  event.identity = 'contested';
  if (!unknownUser) {
    event.identityReason = reason;
    return;
  }
  event.identityReason = event.user === null ? reason : `${reason} (the log claims user ${JSON.stringify(event.user)})`;
  event.user = null;
}
