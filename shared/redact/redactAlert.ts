import type { Alert } from '../model/Alert';
import { redactSecrets } from './redactSecrets';

/**
 * A copy of the alert that is safe to send anywhere: the statement (and bind parameters, which can
 * hold connection strings) with secrets removed. Idempotent; the input is not modified.
 */
export function redactAlert(alert: Alert): Alert {
  const { event } = alert;
  return {
    ...alert,
    event: {
      ...event,
      statement: event.statement === null ? null : redactSecrets(event.statement),
      parameters: event.parameters === null ? null : event.parameters.map((p) => (p === null ? null : redactSecrets(p))),
    },
  };
}
