import type { Alert } from '../../model/Alert';
import type { SlackAlertMetadata } from './SlackMessage';

/** `{"event_type":"pgaudit_alert","event_payload":{"alerts":[...]}}` listing every alert a message carries. */
export function slackMetadata(alerts: Alert[]): SlackAlertMetadata {
  return {
    event_type: 'pgaudit_alert',
    event_payload: {
      alerts: alerts.map((a) => ({
        rule: a.rule,
        severity: a.severity,
        key: a.key,
        server: a.event.server ?? '-',
        sessionId: a.event.sessionId ?? '-',
        statementId: a.event.statementId,
        substatementId: a.event.substatementId,
      })),
    },
  };
}
