import type { AuditEvent, AuditLine } from '../model/AuditEvent';
import { EVENT_FIELDS, LINE_FIELDS, type MatchBlock, type MatchField } from './MatchBlock';
import { compileValue, type CompileContext } from './compileValue';
import type { RuleValue, ValueMatcher } from './RuleValue';
import { alteredRole } from './alteredRole';
import { sqlView } from './sqlView';

export type EventMatcher = (event: AuditEvent) => boolean;

/** Fields that name a role, database or application: compared exactly (see compileValue's FieldKind). */
const IDENTITY_FIELDS: ReadonlySet<string> = new Set(['user', 'database', 'application']);

const LINE_KEY: Record<(typeof LINE_FIELDS)[number], keyof AuditLine> = {
  audit_type: 'auditType',
  class: 'class',
  command: 'command',
  object_type: 'objectType',
  object: 'objectName',
};

/**
 * One `match:` (or `except:` entry): every field given must hold (AND). Line fields are tested
 * together against a single line, so `INSERT INTO mine SELECT * FROM cards` (a WRITE line on `mine`,
 * a READ line on `cards`) is a READ of `cards` and never a WRITE of `cards`.
 */
export function compileMatchBlock(block: MatchBlock, ctx: CompileContext, path: (string | number)[]): EventMatcher {
  const lineTests: [keyof AuditLine, ValueMatcher][] = [];
  const eventTests: [keyof AuditEvent | 'sql' | 'altered_role', ValueMatcher][] = [];
  for (const [field, value] of Object.entries(block) as [MatchField, RuleValue | undefined][]) {
    if (value === undefined) continue;
    const kind = field === 'object' ? 'object' : IDENTITY_FIELDS.has(field) ? 'identity' : 'text';
    const matcher = compileValue(value, kind, ctx, [...path, field]);
    if ((LINE_FIELDS as readonly string[]).includes(field)) lineTests.push([LINE_KEY[field as keyof typeof LINE_KEY], matcher]);
    else if ((EVENT_FIELDS as readonly string[]).includes(field)) eventTests.push([field as keyof AuditEvent | 'sql' | 'altered_role', matcher]);
  }
  return (event) => {
    // A contested identity is an unknown one: no exception on user, database or application applies to it.
    const contested = event.identity === 'contested';
    for (const [key, test] of eventTests) {
      const value = key === 'sql' ? sqlOf(event) : key === 'altered_role' ? alteredRole(event) : contested && IDENTITY_FIELDS.has(key) ? null : (event[key] as string | null | undefined) ?? null;
      if (!test(value)) return false;
    }
    if (lineTests.length === 0) return true;
    return event.lines.some((line) => lineTests.every(([key, test]) => test(line[key] as string | null)));
  };
}

/**
 * Plain (wildcard-free, non-negated) values of a line field, upper-cased: the rule can only match
 * events having a line with one of them, which lets RuleSet skip it for every other event.
 */
export function plainValues(value: RuleValue | undefined): string[] | null {
  if (value === undefined) return null;
  const values = typeof value === 'string' ? [value] : Array.isArray(value) ? value : null;
  if (values === null || values.some((v) => v.includes('*') || v.includes('?'))) return null;
  return values.map((v) => v.toUpperCase());
}

function sqlOf(event: AuditEvent): string | null {
  return event.statement === null ? null : sqlView(event.statement).sql;
}
