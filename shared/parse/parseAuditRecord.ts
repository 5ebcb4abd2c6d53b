import type { AuditRecord } from './AuditRecord';
import { splitAuditCsv } from '../source/splitAuditCsv';

export class MalformedAuditRecord extends Error {
  override readonly name = 'MalformedAuditRecord';
}

/**
 * Decodes the text after `AUDIT: ` into fields. Throws MalformedAuditRecord (never returns a
 * half-guessed record) unless the only problem is truncation, which still yields an event.
 * `cut`: the source cut the record at MAX_RECORD_CHARS, so it is truncated even when the cut fell
 * outside a quoted field (an unquoted statement cut short leaves too few fields, not a broken quote).
 */
export function parseAuditRecord(payload: string, cut = false): AuditRecord {
  const split = splitAuditCsv(payload);
  const fields = split.fields;
  const truncated = split.truncated || cut;
  const auditType = fields[0];
  if (auditType !== 'SESSION' && auditType !== 'OBJECT') {
    throw new MalformedAuditRecord(`AUDIT_TYPE is ${JSON.stringify(auditType ?? '')}, expected SESSION or OBJECT`);
  }
  const statementId = fields[1];
  const substatementId = fields[2];
  const cls = fields[3];
  const command = fields[4];
  const statement = fields[7];
  const parameter = fields[8];
  const rows = fields[9];
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
    auditType,
    statementId: stmt,
    substatementId: sub,
    class: cls,
    command,
    objectType: fields[5] || null,
    objectName: fields[6] || null,
    statement: statement === undefined || isMarker(statement) ? null : statement,
    // A truncated record's last field was cut: a partial parameter list would be a wrong one.
    parameters: parameter === undefined || isMarker(parameter) || (truncated && fields.length === 9) ? null : decodeParameters(parameter),
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

/** Compared, not looked up in a Set: hashing every (long, fresh) statement text costs more. */
function isMarker(text: string): boolean {
  return text.charCodeAt(0) === 60 /* < */ && (text === '<not logged>' || text === '<previously logged>' || text === '<none>');
}

/** `/^-?\d+$/` then Number(), without a regex per field (ids are read on every AUDIT line). */
function toInt(text: string | undefined): number | null {
  if (text === undefined) return null;
  let i = text.charCodeAt(0) === 45 /* - */ ? 1 : 0;
  if (i === text.length) return null;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return null;
  }
  return Number(text);
}
