import { normalizeIdentifier } from '../model/normalizeIdentifier';
import type { EventBuilder } from './EventBuilder';
import { foreignKeyCheckTable } from './foreignKeyCheckQuery';

/**
 * Marks the events of one complete statement that are PostgreSQL's own foreign-key checks
 * (`origin: "foreign-key-check"`): a READ,SELECT substatement (id > 1) whose text is exactly an RI query
 * (foreignKeyCheckTable) on its one table, in a statement that wrote before it (a WRITE line at a lower
 * substatement id: the INSERT/UPDATE/DELETE whose trigger ran the check). Only trusted, merged records
 * are here (unverified ones stand alone), so a forged record can neither be marked nor lend its WRITE.
 */
export function markForeignKeyChecks(builders: readonly EventBuilder[]): void {
  let firstWrite = Number.POSITIVE_INFINITY;
  for (const b of builders) {
    if (b.event.lines.some((l) => l.class === 'WRITE')) firstWrite = Math.min(firstWrite, b.event.substatementId);
  }
  if (firstWrite === Number.POSITIVE_INFINITY) return;
  for (const b of builders) {
    const e = b.event;
    if (e.substatementId <= 1 || e.substatementId <= firstWrite || e.statement === null) continue;
    const table = foreignKeyCheckTable(e.statement);
    if (table === null) continue;
    const name = normalizeIdentifier(table);
    // Every line (SESSION, and OBJECT with object auditing) a READ,SELECT of that one table.
    const onlyThatTable = e.lines.every((l) => l.class === 'READ' && l.command === 'SELECT' && l.objectName !== null && normalizeIdentifier(l.objectName) === name);
    if (!onlyThatTable) continue;
    // With pgaudit.log_parameter on, the values the trigger bound: one per key column.
    if (e.parameters !== null && e.parameters.length !== (e.statement.match(/\$[1-9]/g) ?? []).length) continue;
    e.origin = 'foreign-key-check';
  }
}
