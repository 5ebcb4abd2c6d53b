import type { AuditEvent } from '../model/AuditEvent';
import { sqlView } from './sqlView';

/** `alter role|user <name>` at the start of the text or after a `;`, in sqlView's normalised text. */
const ALTER_ROLE = /(?:^|; )alter (?:role|user) ("(?:[^"]|"")*"|\S+)/g;
const SESSION_ROLE = new Set(['current_user', 'session_user', 'current_role']);

/**
 * The match field `altered_role`: `self` when every ALTER ROLE / ALTER USER in the statement changes the
 * session's own role (by its name, CURRENT_USER or SESSION_USER), `other` when one changes another role,
 * null when the statement alters no role or the user is unknown (a contested identity counts as unknown).
 * Lets a rule spare a service account rotating its own password without sparing it changing another's.
 * Text inside string constants can only add targets, never remove the real one, so it can only make a
 * statement `other`.
 */
export function alteredRole(event: AuditEvent): 'self' | 'other' | null {
  if (event.statement === null) return null;
  const user = event.identity === 'contested' ? null : event.user;
  let found: 'self' | 'other' | null = null;
  for (const m of sqlView(event.statement).sql.matchAll(ALTER_ROLE)) {
    const raw = m[1]!;
    const name = raw.startsWith('"') ? raw.slice(1, -1).replace(/""/g, '"') : raw;
    if (user === null) return null;
    if (!(SESSION_ROLE.has(raw) || name === user)) return 'other';
    found = 'self';
  }
  return found;
}
