import type { Alert } from '../../shared/model/Alert';
import { alertKey } from '../../shared/model/alertKey';
import type { AuditEvent } from '../../shared/model/AuditEvent';

/** A realistic alert for store and delivery tests; `statementId` makes distinct keys. */
export function sampleAlert(statementId = 1, overrides: Partial<AuditEvent> = {}, rule = 'sensitive-table-read'): Alert {
  const event: AuditEvent = {
    server: 'pg-prod-1',
    sessionId: '6571a2b3.1f2c',
    pid: 8012,
    time: '2026-03-01T10:00:00.000Z',
    user: 'alice',
    database: 'shop',
    application: 'psql',
    client: '10.0.0.7',
    auditType: 'OBJECT',
    statementId,
    substatementId: 1,
    class: 'READ',
    command: 'SELECT',
    objects: [{ type: 'TABLE', name: 'sales.payment_cards' }],
    lines: [{ auditType: 'OBJECT', class: 'READ', command: 'SELECT', objectType: 'TABLE', objectName: 'sales.payment_cards' }],
    statement: 'SELECT * FROM sales.payment_cards',
    parameters: null,
    rows: 1,
    ...overrides,
  };
  return { rule, severity: 'high', title: 'Read of a sensitive table', event, key: alertKey(event, rule) };
}
