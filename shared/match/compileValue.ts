import { compileRuleRegex } from './compileRuleRegex';
import { normalizeIdentifier } from '../model/normalizeIdentifier';
import type { MatchBlock } from './MatchBlock';
import type { RuleValue, ValueMatcher } from './RuleValue';
import { sqlView } from './sqlView';
import { compileWildcard, hasWildcard } from './compileWildcard';

export interface CompileContext {
  lists: Readonly<Record<string, readonly string[]>>;
  /** Reports a problem at a path below the value (e.g. `.list`), so the caller can name rule and line. */
  problem(subPath: (string | number)[], message: string): void;
  /** The file's named exceptions (`exceptions:`), referenced by name in a rule's `except`. */
  exceptions?: Readonly<Record<string, MatchBlock>>;
}

/**
 * How a field's values compare:
 * - `object`: as SQL names (normalizeIdentifier: unquoted parts fold to lower case, quoted parts are kept,
 *   `U&"…"` is decoded), then exactly;
 * - `identity` (user, database, application): exactly, as PostgreSQL compares role, database and
 *   application names: case-sensitive, no trimming, no Unicode folding (`Etl`, `etl ` and a Cyrillic `еtl`
 *   are not `etl`); `regex` is case-sensitive too;
 * - `text` (class, command, statement, server, client, ...): case-insensitive.
 */
export type FieldKind = 'object' | 'identity' | 'text';

type StringTest = (normalized: string) => boolean;

/**
 * Compiles a rule value once into a matcher. Unknown lists and bad regexes are reported through
 * `ctx.problem` (and then match nothing), so one pass over a rules file finds every mistake.
 */
export function compileValue(value: RuleValue, kind: FieldKind, ctx: CompileContext, path: (string | number)[] = []): ValueMatcher {
  const normalize = kind === 'object' ? normalizeIdentifier : kind === 'identity' ? (s: string) => s : (s: string) => s.toLowerCase();
  const caseless = kind === 'text';
  if (typeof value === 'string' || Array.isArray(value)) {
    const test = anyOf((typeof value === 'string' ? [value] : value).map((p) => patternTest(p, normalize, caseless)));
    return (v) => v !== null && test(normalize(v));
  }
  if ('not' in value) {
    const inner = compileValue(value.not, kind, ctx, [...path, 'not']);
    return (v) => !inner(v);
  }
  if ('list' in value) {
    const entries = resolveList(value.list, ctx, [...path, 'list']);
    const test = anyOf(entries.map((p) => patternTest(p, normalize, caseless)));
    return (v) => v !== null && test(normalize(v));
  }
  if ('regex' in value) {
    const re = compileRuleRegex(value.regex, kind !== 'identity');
    if ('problem' in re) {
      ctx.problem([...path, 'regex'], re.problem);
      return () => false;
    }
    return (v) => v !== null && re.test(v);
  }
  const names = Array.isArray(value.mentions) ? value.mentions : resolveList(value.mentions.list, ctx, [...path, 'mentions', 'list']);
  const test = mentionsTest(names);
  return (v) => v !== null && test(v);
}

function resolveList(name: string, ctx: CompileContext, path: (string | number)[]): readonly string[] {
  const entries = ctx.lists[name];
  if (entries === undefined) {
    const known = Object.keys(ctx.lists);
    ctx.problem(path, `unknown list "${name}"${known.length > 0 ? ` (lists defined: ${known.join(', ')})` : ' (the file defines no lists)'}`);
    return [];
  }
  return entries;
}

function patternTest(pattern: string, normalize: (s: string) => string, caseless: boolean): StringTest {
  const p = normalize(pattern);
  if (!hasWildcard(p)) return (v) => v === p;
  return compileWildcard(p, caseless);
}

function anyOf(tests: StringTest[]): StringTest {
  if (tests.length === 1) return tests[0]!;
  return (v) => tests.some((t) => t(v));
}

/**
 * True when the statement names one of the objects as a whole identifier, read as PostgreSQL reads it
 * (match/sqlView: quoted, `U&"…"` and spaced-out names decoded, comments ignored, and the SQL inside
 * string constants too — dynamic SQL in DO blocks and functions names objects inside strings). A
 * qualified name (`sales.cards`) also matches the bare `cards` in the text, because statements usually
 * rely on the search_path; an unqualified name matches the last part of a qualified one. `IN SCHEMA hr`
 * (GRANT ... ON ALL TABLES IN SCHEMA, ALTER DEFAULT PRIVILEGES IN SCHEMA) names every table in `hr`, so
 * it mentions `hr.salaries` and `hr.*`.
 */
function mentionsTest(names: readonly string[]): (text: string) => boolean {
  const schemaTests: StringTest[] = [];
  const tests = names.map((name) => {
    const p = normalizeIdentifier(name);
    const full = patternTest(p, (s) => s, false);
    const dot = p.lastIndexOf('.');
    const last = p.slice(dot + 1);
    const bare = dot >= 0 && !hasWildcard(last) ? last : null;
    if (dot > 0) schemaTests.push(patternTest(p.slice(0, dot), (s) => s, false));
    return (id: string): boolean => {
      if (full(id)) return true;
      const idDot = id.lastIndexOf('.');
      if (dot < 0 && idDot >= 0) return full(id.slice(idDot + 1));
      return bare !== null && idDot < 0 && id === bare;
    };
  });
  return (text) => {
    const view = sqlView(text);
    // Default privileges granted in every schema reach every table, whatever its name.
    if (view.everySchema && names.length > 0) return true;
    for (const raw of view.names) {
      const id = normalizeIdentifier(raw);
      if (tests.some((t) => t(id))) return true;
    }
    for (const raw of view.schemas) {
      const schema = normalizeIdentifier(raw);
      if (schemaTests.some((t) => t(schema))) return true;
    }
    return false;
  };
}
