import { PGAUDIT_CLASSES } from './auditVocabulary';

export type PgauditClass = (typeof PGAUDIT_CLASSES)[number];

/**
 * Which pgaudit.log class must be on for pgAudit to write a line with this command tag, following
 * pgaudit.c's log_audit_event: PostgreSQL's GetCommandLogLevel (tcop/utility.c) gives DDL, MOD or ALL;
 * DDL is class DDL except the role statements (ROLE); MOD is WRITE (EXECUTE of a prepared write: MISC);
 * ALL is READ for SELECT/COPY/DECLARE CURSOR/PREPARE, FUNCTION for DO (and a function's EXECUTE line),
 * MISC_SET for SET/RESET (which `misc` logs too, and which PostgreSQL 15's pgaudit 1.7 prints as class
 * MISC), MISC for the rest. A tag that two statement kinds share (COPY TO/FROM, PREPARE of a read or a
 * write, EXECUTE) has every class it can be logged under. Used by `doctor` to tell, from a rule's own
 * class and command conditions, which classes it needs.
 */
export function pgauditClassesOf(command: string): readonly PgauditClass[] {
  const tag = command.toUpperCase();
  const fixed = SPECIAL[tag];
  if (fixed) return fixed;
  if (ROLE_TAGS.has(tag)) return ['ROLE'];
  if (MISC_TAGS.has(tag)) return ['MISC'];
  return ['DDL'];
}

/** How pgAudit prints the class on the line (pgaudit 1.7 prints SET/RESET under misc_set as MISC). */
export function displayedClassesOf(cls: PgauditClass): readonly string[] {
  return cls === 'MISC_SET' ? ['MISC', 'MISC_SET'] : [cls];
}

const SPECIAL: Record<string, readonly PgauditClass[]> = {
  SELECT: ['READ'],
  'SELECT FOR KEY SHARE': ['READ'],
  'SELECT FOR NO KEY UPDATE': ['READ'],
  'SELECT FOR SHARE': ['READ'],
  'SELECT FOR UPDATE': ['READ'],
  'DECLARE CURSOR': ['READ'],
  COPY: ['READ', 'WRITE'],
  'COPY FROM': ['WRITE'],
  PREPARE: ['READ', 'WRITE'],
  INSERT: ['WRITE'],
  UPDATE: ['WRITE'],
  DELETE: ['WRITE'],
  MERGE: ['WRITE'],
  'TRUNCATE TABLE': ['WRITE'],
  DO: ['FUNCTION'],
  EXECUTE: ['FUNCTION', 'MISC'],
  SET: ['MISC_SET', 'MISC'],
  RESET: ['MISC_SET', 'MISC'],
  // CREATE TABLE AS / SELECT INTO are DDL (their reading part is a READ line of its own).
  'SELECT INTO': ['DDL'],
};

/** T_GrantStmt, T_GrantRoleStmt, T_CreateRoleStmt, T_DropRoleStmt, T_AlterRoleStmt/SetStmt, T_AlterDefaultPrivilegesStmt. */
const ROLE_TAGS: ReadonlySet<string> = new Set([
  'GRANT', 'REVOKE', 'GRANT ROLE', 'REVOKE ROLE', 'CREATE ROLE', 'ALTER ROLE', 'DROP ROLE', 'ALTER DEFAULT PRIVILEGES',
]);

/** Statements GetCommandLogLevel puts at LOGSTMT_ALL that are neither READ, FUNCTION nor SET. */
const MISC_TAGS: ReadonlySet<string> = new Set([
  '???', 'ANALYZE', 'BEGIN', 'CALL', 'CHECKPOINT', 'CLOSE', 'CLOSE CURSOR', 'CLOSE CURSOR ALL', 'COMMIT', 'COMMIT PREPARED',
  'DEALLOCATE', 'DEALLOCATE ALL', 'DISCARD', 'DISCARD ALL', 'DISCARD PLANS', 'DISCARD SEQUENCES', 'DISCARD TEMP', 'EXPLAIN',
  'FETCH', 'LISTEN', 'LOAD', 'LOCK TABLE', 'LOGIN', 'MOVE', 'NOTIFY', 'PREPARE TRANSACTION', 'REINDEX', 'RELEASE',
  'ROLLBACK', 'ROLLBACK PREPARED', 'SAVEPOINT', 'SET CONSTRAINTS', 'SHOW', 'START TRANSACTION', 'UNLISTEN', 'VACUUM',
]);
