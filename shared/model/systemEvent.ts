import type { AuditEvent } from './AuditEvent';

/**
 * The event behind an alert the product raises about itself (silence, failing scans, a failing
 * destination, notify-test): no database statement, every unknown field null, as in real events.
 */
export function systemEvent(fields: Partial<AuditEvent> & Pick<AuditEvent, 'time' | 'class' | 'command'>): AuditEvent {
  return {
    server: null, sessionId: null, pid: null, user: null, database: null, application: null, client: null,
    auditType: 'SESSION', statementId: 0, substatementId: 0, objects: [], lines: [], statement: null, parameters: null, rows: null,
    ...fields,
  };
}
