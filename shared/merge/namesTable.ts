import { tokenizeSql } from '../redact/tokenizeSql';

// `FROM [ONLY] name[.name...]` (or INSERT INTO / UPDATE [ONLY] / DELETE FROM name), not followed by `(`:
// a relation, not a set-returning function such as `FROM f()`.
const NAME = String.raw`(?:"(?:[^"]|"")*"|[a-z_\u0080-\uffff][a-z0-9_$\u0080-\uffff]*)`;
const CHAIN = String.raw`${NAME}(?:\s*\.\s*${NAME})*`;
const TABLE_AFTER = new RegExp(String.raw`\b(?:from|into|update)\s+(?:only\s+)?(${CHAIN})(?![a-z0-9_$\u0080-\uffff"]|\s*[.(])`, 'giu');
const READ_OR_WRITE = /^\s*(?:\(\s*)*(?:select|with|insert|update|delete|merge)\b/i;

/**
 * True when the statement itself names a table it reads or writes (a plain `SELECT ... FROM t`,
 * `INSERT INTO t`, `UPDATE t`, `DELETE FROM t`): the evidence that a READ/WRITE line without an object
 * name means pgaudit.log_relation is off. COPY, DECLARE CURSOR, PREPARE/EXECUTE, `SELECT * FROM f()`
 * and SELECTs without FROM never carry a table name whatever the setting, so they are no evidence.
 * Comments and string constants are ignored (`SELECT 'from x'`).
 */
export function namesTable(statement: string): boolean {
  const code = tokenizeSql(statement)
    .map((t) => (t.kind === 'code' ? t.raw : t.kind === 'identifier' ? t.raw : ' '))
    .join('');
  if (!READ_OR_WRITE.test(code)) return false;
  for (const m of code.matchAll(TABLE_AFTER)) if (!/^lateral$/i.test(m[1]!)) return true;
  return false;
}
