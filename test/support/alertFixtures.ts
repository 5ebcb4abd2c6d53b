import type { Alert } from '../../shared/model/Alert';
import type { AuditEvent } from '../../shared/model/AuditEvent';
import { alertKey } from '../../shared/model/alertKey';
import type { Severity } from '../../shared/model/Severity';

/** A realistic alert; `n` makes the statement id (and so the key) unique. */
export function makeAlert(n = 1, overrides: { rule?: string; severity?: Severity; title?: string; event?: Partial<AuditEvent> } = {}): Alert {
  const event: AuditEvent = {
    server: 'pg-prod-1', sessionId: '6b02dae7.3421', pid: 13345, time: '2026-11-22T12:07:03.000Z',
    user: 'dba_alice', database: 'shopdb', application: 'psql', client: '10.0.0.4',
    auditType: 'SESSION', statementId: n, substatementId: 1, class: 'ROLE', command: 'GRANT ROLE',
    objects: [], lines: [{ auditType: 'SESSION', class: 'ROLE', command: 'GRANT ROLE', objectType: null, objectName: null }],
    statement: 'GRANT dba_admins TO mallory;', parameters: null, rows: null,
    ...overrides.event,
  };
  const rule = overrides.rule ?? 'role-grant';
  return {
    rule,
    severity: overrides.severity ?? 'high',
    title: overrides.title ?? 'Role granted to a user',
    description: 'Detects GRANT of a role: someone gained privileges.',
    event,
    key: alertKey(event, rule),
  };
}

/** Text a hostile database user can put in names and statements. */
export const HOSTILE = "<!channel> <!here> <@U123> <https://evil.example|log in> & ``` *bold* \u001b[2J";

export function hostileAlert(n = 1): Alert {
  return makeAlert(n, {
    event: {
      user: HOSTILE, database: HOSTILE, application: HOSTILE, client: HOSTILE,
      objects: [{ type: 'TABLE', name: HOSTILE }],
      statement: `SELECT '${HOSTILE}'; -- \`\`\` end of block <!channel>`,
    },
  });
}
