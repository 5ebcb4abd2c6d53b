import type { MatchBlock } from '../match/MatchBlock';
import type { RuleValue } from '../match/RuleValue';
import { compileRuleRegex } from '../match/compileRuleRegex';
import { compileWildcard, hasWildcard } from '../match/compileWildcard';
import { PGAUDIT_CLASSES, POSTGRES_COMMAND_TAGS } from './auditVocabulary';
import { closestName } from '../util/closestName';
import type { RuleSpec } from './ruleFileSchema';

type Path = (string | number)[];
type Add = (path: Path, message: string) => void;

const KNOWN: Record<'class' | 'command', { values: readonly string[]; what: string; known: string }> = {
  class: { values: PGAUDIT_CLASSES, what: 'class pgAudit logs', known: `classes: ${PGAUDIT_CLASSES.join(', ')}` },
  command: { values: POSTGRES_COMMAND_TAGS, what: 'command tag PostgreSQL 13–17 logs', known: 'commands are command tags such as SELECT, DROP TABLE, GRANT ROLE' },
};

/**
 * `class:` and `command:` values (in match and except) must be able to equal something pgAudit writes:
 * `class: DLL` or `command: "DROP TABEL"` would make a rule that never fires (or, in an except or under
 * `not:`, one that suppresses nothing) while looking fine. Plain values must be known; wildcards, regexes
 * and list entries must match at least one known value.
 */
export function checkAuditValues(spec: RuleSpec, lists: Readonly<Record<string, readonly string[]>>, base: Path, add: Add): void {
  const blocks: [Path, RuleSpec['match']][] = [[[...base, 'match'], spec.match]];
  // A named exception (a string) is a block of the file's exceptions: map, checked there (validateRules).
  (spec.except ?? []).forEach((block, i) => {
    if (typeof block !== 'string') blocks.push([[...base, 'except', i], block]);
  });
  for (const [path, block] of blocks) checkBlockAuditValues(block, lists, path, add);
}

/** The same check for one block: a named exception of the file's `exceptions:` is checked once, by itself. */
export function checkBlockAuditValues(block: MatchBlock, lists: Readonly<Record<string, readonly string[]>>, path: Path, add: Add): void {
  for (const field of ['class', 'command'] as const) {
    const value = block[field];
    if (value !== undefined) checkValue(value, field, lists, [...path, field], add);
  }
}

function checkValue(value: RuleValue, field: 'class' | 'command', lists: Readonly<Record<string, readonly string[]>>, path: Path, add: Add): void {
  if (typeof value === 'string') return checkPattern(value, field, path, add);
  if (Array.isArray(value)) return value.forEach((v, i) => checkPattern(v, field, [...path, i], add));
  if ('not' in value) return checkValue(value.not, field, lists, [...path, 'not'], add);
  if ('list' in value) {
    // An unknown list is reported by the compiler; entries of a known one must each be possible.
    for (const entry of lists[value.list] ?? []) checkPattern(entry, field, [...path, 'list'], add, ` (entry of list "${value.list}")`);
    return;
  }
  if ('regex' in value) {
    const re = compileRuleRegex(value.regex);
    if ('problem' in re) return; // reported by the compiler
    if (!KNOWN[field].values.some((v) => re.test(v))) add([...path, 'regex'], `regex ${JSON.stringify(value.regex)} matches no ${KNOWN[field].what} (${KNOWN[field].known})`);
  }
}

function checkPattern(pattern: string, field: 'class' | 'command', path: Path, add: Add, where = ''): void {
  const { values, what, known } = KNOWN[field];
  if (hasWildcard(pattern)) {
    const matches = compileWildcard(pattern.toLowerCase());
    if (!values.some((v) => matches(v.toLowerCase()))) add(path, `"${pattern}"${where} matches no ${what} (${known})`);
    return;
  }
  if (values.includes(pattern.toUpperCase())) return;
  const hint = closestName(pattern, values);
  add(path, `"${pattern}"${where} is not a ${what} (${hint ? `did you mean "${hint}"?` : known})`);
}
