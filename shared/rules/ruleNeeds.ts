import { compileValue, type CompileContext, type FieldKind } from '../match/compileValue';
import type { MatchBlock } from '../match/MatchBlock';
import type { RuleValue, ValueMatcher } from '../match/RuleValue';
import { POSTGRES_COMMAND_TAGS } from './auditVocabulary';
import { positiveListOf } from './emptyListWarnings';
import { displayedClassesOf, pgauditClassesOf, type PgauditClass } from './pgauditClassesOf';
import type { RuleSpec } from './ruleFileSchema';

/** Event fields that only a connection line, a prefix escape or a csvlog/jsonlog column can give. */
export const IDENTITY_NEEDS = ['user', 'database', 'application', 'client'] as const;
export type IdentityField = (typeof IDENTITY_NEEDS)[number];

/** One kind of line a rule's line conditions accept: the pgaudit.log class it needs and the command. */
export interface LineKind {
  cls: PgauditClass;
  command: string;
  /** audit_type values the rule accepts for it (OBJECT only exists for READ/WRITE). */
  auditTypes: ('SESSION' | 'OBJECT')[];
}

/** What must be in the log for a rule to fire as written, derived from its own conditions. */
export interface RuleNeeds {
  /** Every (class, command) its match accepts; all of pgAudit's when it has no class/command condition. */
  lineKinds: LineKind[];
  /** Its match needs an object name (or type) on the same line: READ/WRITE lines have one only with log_relation. */
  objectName: boolean;
  /** Its match reads `statement` or `sql`: nothing to read when pgaudit.log_statement is off. */
  statement: boolean;
  /** Identity fields, and where the rule reads them: `match`, `exception "name"`, `except[i]`. */
  identity: { field: IdentityField; where: string }[];
  /** Lists its match needs entries from that are empty (the shipped sensitive_tables). */
  emptyLists: string[];
  /** Whether its `server` condition admits this server (a rule scoped to other servers is not judged here). */
  forServer: ValueMatcher;
}

/**
 * What a rule needs from the log, read from its own `match` and `except` conditions (no table per rule):
 * its class/command conditions are tried against every command tag under every class pgAudit can log it
 * with; a condition that fails on an unknown (null) value needs that value logged. An exception that
 * cannot apply to an unknown user lets the rule fire for everyone it means to spare, so it needs the user too.
 */
export function ruleNeeds(spec: RuleSpec, lists: Readonly<Record<string, readonly string[]>>, exceptions: Readonly<Record<string, MatchBlock>>): RuleNeeds {
  const ctx: CompileContext = { lists, exceptions, problem: () => {} };
  const test = (value: RuleValue | undefined, kind: FieldKind): ValueMatcher => (value === undefined ? () => true : compileValue(value, kind, ctx));
  const { match } = spec;
  const cls = test(match.class, 'text');
  const command = test(match.command, 'text');
  const auditType = test(match.audit_type, 'text');
  const lineKinds: LineKind[] = [];
  for (const tag of POSTGRES_COMMAND_TAGS) {
    if (!command(tag)) continue;
    for (const c of pgauditClassesOf(tag)) {
      if (!displayedClassesOf(c).some((shown) => cls(shown))) continue;
      const auditTypes = (['SESSION', 'OBJECT'] as const).filter((t) => auditType(t) && (t === 'SESSION' || c === 'READ' || c === 'WRITE'));
      if (auditTypes.length > 0) lineKinds.push({ cls: c, command: tag, auditTypes });
    }
  }
  const needsValue = (value: RuleValue | undefined, kind: FieldKind): boolean => value !== undefined && !compileValue(value, kind, ctx)(null);
  const identity: RuleNeeds['identity'] = [];
  const readIdentity = (block: MatchBlock, where: string) => {
    for (const field of IDENTITY_NEEDS) {
      const value = block[field];
      // An exception on a list nobody filled in spares no one: it needs nothing from the log.
      if (where !== 'match' && typeof value === 'object' && 'list' in value && (lists[value.list] ?? []).length === 0) continue;
      if (needsValue(value, field === 'client' ? 'text' : 'identity')) identity.push({ field, where });
    }
  };
  readIdentity(match, 'match');
  (spec.except ?? []).forEach((entry, i) => {
    if (typeof entry === 'string') {
      const block = exceptions[entry];
      if (block) readIdentity(block, `exception "${entry}"`);
    } else readIdentity(entry, `except[${i}]`);
  });
  const emptyLists: string[] = [];
  for (const value of Object.values(match) as (RuleValue | undefined)[]) {
    const ref = value === undefined ? null : positiveListOf(value);
    if (ref && lists[ref.list]?.length === 0 && !emptyLists.includes(ref.list)) emptyLists.push(ref.list);
  }
  return {
    lineKinds,
    emptyLists,
    forServer: test(match.server, 'text'),
    objectName: needsValue(match.object, 'object') || needsValue(match.object_type, 'text'),
    statement: needsValue(match.statement, 'text') || needsValue(match.sql, 'text'),
    identity,
  };
}
