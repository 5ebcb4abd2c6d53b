import type { RuleValue } from './RuleValue';

/**
 * Fields of a `match:` or `except:` block. Line fields must all hold on the same line of a statement
 * (pgaudit may log one statement as several lines); event fields hold for the whole statement.
 * `sql` is the statement as PostgreSQL reads it (match/sqlView) and `altered_role` whether the ALTER ROLE
 * statements in it change the session's own role (match/alteredRole): neither is a field of the AuditEvent.
 */
export const LINE_FIELDS = ['audit_type', 'class', 'command', 'object_type', 'object'] as const;
export const EVENT_FIELDS = ['database', 'user', 'application', 'client', 'server', 'statement', 'sql', 'origin', 'altered_role'] as const;
export type MatchField = (typeof LINE_FIELDS)[number] | (typeof EVENT_FIELDS)[number];

/** One `match:` (or `except:` entry) as written: every field given must hold. */
export type MatchBlock = Partial<Record<MatchField, RuleValue>>;
