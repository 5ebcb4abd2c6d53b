import { describe, expect, it } from 'vitest';
import { MalformedAuditRecord, parseAuditRecord } from '../../shared/parse/parseAuditRecord';

describe('parseAuditRecord', () => {
  it('decodes a 9-field record and keeps markers as null', () => {
    expect(parseAuditRecord('SESSION,3,1,ROLE,GRANT ROLE,,,GRANT dba TO mallory;,<not logged>')).toEqual({
      auditType: 'SESSION', statementId: 3, substatementId: 1, class: 'ROLE', command: 'GRANT ROLE', objectType: null,
      objectName: null, statement: 'GRANT dba TO mallory;', parameters: null, rows: null, truncated: false,
    });
    expect(parseAuditRecord('SESSION,96,1,READ,SELECT,TABLE,audit_demo.orders,<previously logged>,<previously logged>')).toMatchObject({
      statement: null, parameters: null, objectType: 'TABLE', objectName: 'audit_demo.orders',
    });
  });

  it('decodes PARAMETER (twice CSV-encoded) and ROWS', () => {
    const r = parseAuditRecord('SESSION,7,1,WRITE,INSERT,TABLE,t,"INSERT INTO t VALUES ($1, $2, $3)","1,,""bind\nnewline""",3');
    expect(r.parameters).toEqual(['1', null, 'bind\nnewline']);
    expect(r.rows).toBe(3);
  });

  it('<none> parameters and 10 fields with log_rows', () => {
    expect(parseAuditRecord('SESSION,102,1,FUNCTION,DO,,,"DO $$ BEGIN PERFORM f(1, 1); END $$;",<none>,0')).toMatchObject({
      parameters: null, rows: 0, statement: 'DO $$ BEGIN PERFORM f(1, 1); END $$;',
    });
  });

  it('OBJECT audit type', () => {
    expect(parseAuditRecord('OBJECT,4,1,READ,SELECT,TABLE,public.cards,SELECT * FROM cards,<not logged>').auditType).toBe('OBJECT');
  });

  it('marks a record cut inside a quoted statement as truncated, parameters unknown', () => {
    expect(parseAuditRecord('SESSION,5,1,WRITE,UPDATE,TABLE,t,"UPDATE t SET a = \'x,y')).toMatchObject({
      truncated: true, statement: "UPDATE t SET a = 'x,y", parameters: null, class: 'WRITE',
    });
  });

  it.each([
    ['not audit', 'hello world'],
    ['bad ids', 'SESSION,x,1,READ,SELECT,,,s,<none>'],
    ['too few fields', 'SESSION,1,1,READ,SELECT,,,s'],
    ['too many fields', 'SESSION,1,1,READ,SELECT,,,s,<none>,1,extra'],
    ['bad rows', 'SESSION,1,1,READ,SELECT,,,s,<none>,many'],
  ])('rejects %s', (_, payload) => {
    expect(() => parseAuditRecord(payload)).toThrow(MalformedAuditRecord);
  });
});
