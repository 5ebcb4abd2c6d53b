import { describe, expect, it } from 'vitest';
import type { Alert } from '../../shared/model/Alert';
import { redactAlert } from '../../shared/redact/redactAlert';

const alert: Alert = {
  rule: 'role-change',
  severity: 'high',
  title: 'Role created or changed',
  key: 'pg-prod-1/6b02dae7.3421/3/1/role-change',
  event: {
    server: 'pg-prod-1', sessionId: '6b02dae7.3421', pid: 13345, time: '2026-11-22T12:07:03.000Z',
    user: 'dba_alice', database: 'shopdb', application: 'psql', client: '10.0.0.4',
    auditType: 'SESSION', statementId: 3, substatementId: 1, class: 'ROLE', command: 'CREATE ROLE',
    objects: [], lines: [{ auditType: 'SESSION', class: 'ROLE', command: 'CREATE ROLE', objectType: null, objectName: null }],
    statement: "GRANT a TO b; CREATE ROLE c LOGIN PASSWORD 'hunter2'", parameters: ['host=h password=pw9', null], rows: null,
  },
};

describe('redactAlert', () => {
  it('returns a copy with the statement and parameters redacted, leaving the input alone', () => {
    const before = structuredClone(alert);
    const out = redactAlert(alert);
    expect(out.event.statement).toBe("GRANT a TO b; CREATE ROLE c LOGIN PASSWORD '[REDACTED]'");
    expect(out.event.parameters).toEqual(['host=h password=[REDACTED]', null]);
    expect(out).not.toBe(alert);
    expect(alert).toEqual(before);
    expect({ ...out, event: { ...out.event, statement: alert.event.statement, parameters: alert.event.parameters } }).toEqual(alert);
  });

  it('is idempotent and keeps a null statement', () => {
    const once = redactAlert(alert);
    expect(redactAlert(once)).toEqual(once);
    expect(redactAlert({ ...alert, event: { ...alert.event, statement: null, parameters: null } }).event.statement).toBeNull();
  });
});
