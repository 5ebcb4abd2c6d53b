import type { Alert } from '../model/Alert';
import { alertKey } from '../model/alertKey';
import type { AuditEvent } from '../model/AuditEvent';
import { redactAlert } from '../redact/redactAlert';
import type { RuleSet } from './RuleSet';

/**
 * The alerts one event raises, one per rule that fires, each already redacted: nothing downstream
 * (console, JSON, Slack, email, the outbox) ever holds a statement with a password in it.
 */
export function alertsForEvent(ruleSet: RuleSet, event: AuditEvent): Alert[] {
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
