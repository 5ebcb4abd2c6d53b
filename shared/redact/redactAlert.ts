import type { Alert } from '../model/Alert';
import type { AuditEvent } from '../model/AuditEvent';
import { REDACTED } from './redactConnectionSecrets';
import { redactSecrets, redactStatement } from './redactSecrets';

/**
 * A copy of the alert that is safe to send anywhere. The statement loses its secrets; a bind
 * parameter the statement puts where a secret goes (`set_config('app.password', $1, false)`) is
 * hidden whole, and every other one is redacted as text (it can hold a connection string). Every
 * other string the database wrote (names, application, objects) and the rule's own text go through
 * the same redaction: any of them may carry a secret. Idempotent; the input is not modified.
 */
export function redactAlert(alert: Alert): Alert {
  const { event } = alert;
  const statement = event.statement === null ? null : redactStatement(event.statement, event.truncated !== true);
  const parameters = event.parameters?.map((p, i) => (p === null ? null : statement?.secretParams.has(i + 1) ? REDACTED : redactSecrets(p))) ?? null;
  const redactedEvent: AuditEvent = {
    ...event,
    server: nullable(event.server),
    sessionId: nullable(event.sessionId),
    user: nullable(event.user),
    database: nullable(event.database),
    application: nullable(event.application),
    client: nullable(event.client),
    class: redactSecrets(event.class),
    command: redactSecrets(event.command),
    objects: event.objects.map((o) => ({ type: nullable(o.type), name: redactSecrets(o.name) })),
    lines: event.lines.map((l) => ({ ...l, class: redactSecrets(l.class), command: redactSecrets(l.command), objectType: nullable(l.objectType), objectName: nullable(l.objectName) })),
    statement: statement === null ? null : statement.text,
    parameters,
  };
  return {
    ...alert,
    title: redactSecrets(alert.title),
    ...(alert.description === undefined ? {} : { description: redactSecrets(alert.description) }),
    event: redactedEvent,
  };
}

function nullable(text: string | null): string | null {
  return text === null ? null : redactSecrets(text);
}
