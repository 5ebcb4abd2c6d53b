import type { AuditRecord } from './AuditRecord';
import { splitAuditCsv } from './splitAuditCsv';

const MARKERS = new Set(['<not logged>', '<previously logged>', '<none>']);
const AUDIT_TYPES = new Set(['SESSION', 'OBJECT']);

export class MalformedAuditRecord extends Error {
  override readonly name = 'MalformedAuditRecord';
}

/**
 * Decodes the text after `AUDIT: ` into fields. Throws MalformedAuditRecord (never returns a
 * half-guessed record) unless the only problem is truncation, which still yields an event.
 */
export function parseAuditRecord(payload: string): AuditRecord {
  const { fields, truncated } = splitAuditCsv(payload);
  const [auditType, statementId, substatementId, cls, command, objectType, objectName, statement, parameter, rows] = fields;
  if (auditType === undefined || !AUDIT_TYPES.has(auditType)) {
    throw new MalformedAuditRecord(`AUDIT_TYPE is ${JSON.stringify(auditType ?? '')}, expected SESSION or OBJECT`);
  }
  const stmt = toInt(statementId);
  const sub = toInt(substatementId);
  if (stmt === null || sub === null) {
    throw new MalformedAuditRecord(`statement/substatement ids ${JSON.stringify(statementId)},${JSON.stringify(substatementId)} are not integers`);
  }
  if (!cls || command === undefined) throw new MalformedAuditRecord('CLASS or COMMAND missing');
  if (!truncated && (fields.length < 9 || fields.length > 10)) {
    throw new MalformedAuditRecord(`${fields.length} fields, expected 9 or 10`);
  }
  const rowCount = rows === undefined || rows === '' ? null : toInt(rows);
  if (!truncated && rows !== undefined && rows !== '' && rowCount === null) {
    throw new MalformedAuditRecord(`ROWS ${JSON.stringify(rows)} is not an integer`);
  }
  return {
    auditType: auditType as AuditRecord['auditType'],
    statementId: stmt,
    substatementId: sub,
    class: cls,
    command,
    objectType: objectType || null,
    objectName: objectName || null,
    statement: statement === undefined || MARKERS.has(statement) ? null : statement,
    // A truncated record's last field was cut: a partial parameter list would be a wrong one.
    parameters: parameter === undefined || MARKERS.has(parameter) || (truncated && fields.length === 9) ? null : decodeParameters(parameter),
    rows: rowCount,
    truncated,
  };
}

/**
 * PARAMETER is CSV-encoded twice: each value quoted as needed and joined with commas, then the
 * whole list quoted again. After the outer field was unquoted, split once more; an empty element is NULL.
 */
export function decodeParameters(text: string): (string | null)[] {
  if (text === '') return [null];
  return splitAuditCsv(text).fields.map((value) => (value === '' ? null : value));
}

function toInt(text: string | undefined): number | null {
  if (text === undefined || !/^-?\d+$/.test(text)) return null;
  return Number(text);
}
