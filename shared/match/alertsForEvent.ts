import type { Alert } from '../model/Alert';
import { alertKey } from '../model/alertKey';
import type { AuditEvent } from '../model/AuditEvent';
import { redactAlert } from '../redact/redactAlert';
import { logForgeryAlert } from './logForgeryAlert';
import type { RuleSet } from './RuleSet';

/**
 * The alerts one event raises, one per rule that fires, each already redacted: nothing downstream
 * (console, JSON, Slack, email, the outbox) ever holds a statement with a password in it. A forged
 * record raises the built-in `log-forgery` alert instead, whatever the rules file says.
 */
export function alertsForEvent(ruleSet: RuleSet, event: AuditEvent): Alert[] {
  if (event.trust === 'forged') return [redactAlert(logForgeryAlert(event))];
  return ruleSet.match(event).map((rule) =>
    redactAlert({
      rule: rule.id,
      severity: rule.severity,
      title: rule.title,
      event,
      key: alertKey(event, rule.id),
      ...(rule.notify ? { destinations: rule.notify } : {}),
      ...(rule.description ? { description: rule.description } : {}),
    }),
  );
}
