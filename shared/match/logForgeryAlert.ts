import type { Alert } from '../model/Alert';
import { alertKey } from '../model/alertKey';
import type { AuditEvent } from '../model/AuditEvent';

/** The built-in rule's id: not in any rules file, it cannot be disabled or excepted. */
export const LOG_FORGERY_RULE = 'log-forgery';

/**
 * Log forgery is an incident: someone with a login made PostgreSQL write text that looks like a pgAudit
 * or connection record (RAISE LOG, a syntax error's STATEMENT line, an application_name that reads as a
 * record) to hide, disguise or invent audit records. Sent to every destination.
 */
export function logForgeryAlert(event: AuditEvent): Alert {
  const who = `${event.user ?? 'an unknown user'}${event.identity === 'contested' ? ' (identity contested)' : ''}`;
  return {
    rule: LOG_FORGERY_RULE,
    severity: 'critical',
    title: `Forged log record (${event.command}) in session ${event.sessionId ?? '-'} of ${who}`,
    event,
    key: alertKey(event, LOG_FORGERY_RULE),
    description:
      `A record that looks like ${event.command === 'AUDIT' ? "pgAudit's" : "PostgreSQL's"} was not written by it: ${event.trustReason ?? 'it cannot be trusted'}. ` +
      'It was not taken as an audit record or as the session\'s identity; the statement field shows the text as written. ' +
      'Someone with a database login is trying to hide, disguise or invent audit records: check what else this session did.',
  };
}
