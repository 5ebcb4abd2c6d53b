import type { AuditEvent } from '../model/AuditEvent';
import { namesTable } from './namesTable';

/**
 * A READ/WRITE event that should name a table but does not: the sign that pgaudit.log_relation is off
 * (the scan's warning and `doctor` both read it). Only a statement that itself names a table is evidence
 * (namesTable): pgaudit never names an object for TRUNCATE, COPY, DECLARE CURSOR, PREPARE or
 * `SELECT * FROM f()`, nor for a SELECT without FROM.
 */
export function lacksRelation(event: AuditEvent): boolean {
  if (event.objects.length > 0 || event.statement === null) return false;
  if (event.class !== 'READ' && event.class !== 'WRITE') return false;
  return namesTable(event.statement);
}
