import type { AuditType } from '../model/AuditEvent';

/** One pgaudit log line's CSV fields, decoded (markers become null). */
export interface AuditRecord {
  auditType: AuditType;
  statementId: number;
  substatementId: number;
  class: string;
  command: string;
  objectType: string | null;
  objectName: string | null;
  /** null for `<not logged>` / `<previously logged>`. */
  statement: string | null;
  /** Decoded PARAMETER list (NULL → null); null for the markers. */
  parameters: (string | null)[] | null;
  rows: number | null;
  truncated: boolean;
}
