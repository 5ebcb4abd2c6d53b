import { LineCounter, parseDocument, type Document } from 'yaml';
import { z } from 'zod';
import { compileRule } from '../match/compileRule';
import type { CompiledRule } from '../match/CompiledRule';
import type { CompileContext } from '../match/compileValue';
import { RuleSet } from '../match/RuleSet';
import type { Destination } from '../model/Destination';
import type { MatchBlock } from '../match/MatchBlock';
import { checkAuditValues, checkBlockAuditValues } from './checkAuditValues';
import { emptyListWarnings } from './emptyListWarnings';
import { exampleEvent } from './exampleEvent';
import { destinationSchema, matchSchema, NAME, ruleFileSchema, ruleSchema, type RuleSpec } from './ruleFileSchema';
import type { RuleProblem } from './RuleProblem';
import { zodIssueMessages } from './zodIssueMessages';
import { closestName } from '../util/closestName';

export interface RulesValidation {
  /** null when any problem was found: a rules file is used whole or not at all. */
  ruleSet: RuleSet | null;
  problems: RuleProblem[];
  /** Rules that are valid but cannot fire yet (a list their match needs is empty): reported, not fatal. */
  warnings: RuleProblem[];
  /** Rule ids by index (null where missing), for naming rules in messages. */
  ruleIds: (string | null)[];
  /**
   * Every valid rule (also disabled ones) with its parsed spec; `exampleRule` is the rule compiled
   * with its examples' assumed lists (see examples.lists), the one its examples are checked against.
   */
  rules: { spec: RuleSpec; compiled: CompiledRule; exampleRule: CompiledRule }[];
  /** The lists rules compile with (the file's, with `--list` overrides applied) and the named exceptions. */
  lists: Record<string, string[]>;
  exceptions: Record<string, MatchBlock>;
}

/** Alias uses allowed in a rules file (yaml's own default, stated here because it is a security bound). */
const MAX_ALIAS_COUNT = 100;

/** The file's top level, from the one schema: its parts are checked one by one below, so one bad rule hides no other problem. */
const topSchema = ruleFileSchema.extend({
  lists: z.unknown().optional(),
  destinations: z.unknown().optional(),
  exceptions: z.unknown().optional(),
  rules: z.array(z.unknown()),
});

export interface ValidateOptions {
  /** Lists to use instead of the file's (`scan --list name=a,b`), e.g. to try sensitive tables without editing. */
  lists?: Record<string, string[]>;
}

/**
 * Validates a rules file's text and compiles it. Each part (lists, each destination, each rule) is
 * checked on its own so that EVERY problem is reported in one go; then cross-checks run: unique ids,
 * referenced lists and destinations exist, regexes compile, and each rule's examples behave as stated.
 */
export function validateRules(text: string, options: ValidateOptions = {}): RulesValidation {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  const problems: RuleProblem[] = [];
  const lineOf = (path: (string | number)[]) => findLine(doc, lineCounter, path);
  const add = (path: (string | number)[], message: string) => problems.push({ path, message, line: lineOf(path) });

  for (const error of doc.errors) {
    problems.push({ path: [], message: `YAML syntax: ${error.message.split('\n')[0]}`, line: error.linePos?.[0].line ?? null });
  }
  const warnings: RuleProblem[] = [];
  const empty: RulesValidation = { ruleSet: null, problems, warnings, ruleIds: [], rules: [], lists: {}, exceptions: {} };
  if (doc.errors.length > 0) return empty;
  let input: unknown;
  try {
    // Aliases expand: `maxAliasCount` stops a "billion laughs" file (a few lines, aliases of aliases)
    // before it fills memory.
    input = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    if (!(err instanceof ReferenceError)) throw err;
    add([], `YAML aliases expand too far (${err.message}); a rules file needs no more than ${MAX_ALIAS_COUNT} alias uses`);
    return empty;
  }
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    add([], 'expected a map with version: 1, lists:, destinations: and rules:');
    return empty;
  }

  const top = topSchema.safeParse(input);
  if (!top.success) for (const p of zodIssueMessages(top.error.issues, input)) add(p.path, p.message);
  const raw = input as Record<string, unknown>;

  const lists: Record<string, string[]> = {};
  if (raw.lists !== undefined && raw.lists !== null) {
    if (typeof raw.lists !== 'object' || Array.isArray(raw.lists)) add(['lists'], 'expected a map of list name → list of strings');
    else
      for (const [name, entries] of Object.entries(raw.lists)) {
        if (!NAME.pattern.test(name)) add(['lists', name], NAME.listMessage);
        // An empty `service_accounts:` is a list the user has not filled in yet, not an error.
        if (entries === null) lists[name] = [];
        else if (Array.isArray(entries) && entries.every((e) => typeof e === 'string' && e !== '')) lists[name] = entries;
        else add(['lists', name], 'expected a list of non-empty strings');
      }
  }

  // An override must name a list the file defines: a typo would otherwise add a list no rule reads.
  const defined = Object.keys(lists);
  for (const name of Object.keys(options.lists ?? {})) {
    if (defined.includes(name) || (raw.lists && typeof raw.lists === 'object' && name in raw.lists)) continue;
    const hint = closestName(name, defined);
    add(['lists'], `--list ${name}: the rules file defines no list named "${name}"${hint ? ` (did you mean "${hint}"?)` : ''}; `
      + `its lists: ${defined.join(', ') || '(none)'}`);
  }
  Object.assign(lists, options.lists ?? {});

  const destinations: Destination[] = [];
  if (raw.destinations !== undefined && raw.destinations !== null) {
    if (typeof raw.destinations !== 'object' || Array.isArray(raw.destinations)) add(['destinations'], 'expected a map of destination name → { slack: ... } or { email: ... }');
    else
      for (const [name, value] of Object.entries(raw.destinations)) {
        if (!NAME.pattern.test(name)) add(['destinations', name], NAME.destinationMessage);
        const parsed = destinationSchema.safeParse(value);
        if (parsed.success) destinations.push({ name, ...parsed.data });
        else for (const p of zodIssueMessages(parsed.error.issues, value, ['destinations', name])) add(p.path, p.message);
      }
  }

  const exceptions: Record<string, MatchBlock> = {};
  if (raw.exceptions !== undefined && raw.exceptions !== null) {
    if (typeof raw.exceptions !== 'object' || Array.isArray(raw.exceptions)) add(['exceptions'], 'expected a map of exception name → fields to match (like an except: entry)');
    else
      for (const [name, value] of Object.entries(raw.exceptions)) {
        if (!NAME.pattern.test(name)) add(['exceptions', name], NAME.exceptionMessage);
        const parsed = matchSchema.safeParse(value);
        if (parsed.success) {
          exceptions[name] = parsed.data;
          checkBlockAuditValues(parsed.data, lists, ['exceptions', name], add);
        }
        else for (const p of zodIssueMessages(parsed.error.issues, value, ['exceptions', name])) add(p.path, p.message);
      }
  }

  const rawRules = Array.isArray(raw.rules) ? raw.rules : [];
  const ruleIds = rawRules.map((r) => (r && typeof r === 'object' && typeof (r as { id?: unknown }).id === 'string' ? (r as { id: string }).id : null));
  const rules: RulesValidation['rules'] = [];
  const firstIndexOf = new Map<string, number>();
  rawRules.forEach((rawRule, i) => {
    const base = ['rules', i];
    const id = ruleIds[i];
    if (id) {
      const first = firstIndexOf.get(id);
      if (first !== undefined) add([...base, 'id'], `duplicate id, also used by rules[${first}]`);
      else firstIndexOf.set(id, i);
    }
    const parsed = ruleSchema.safeParse(rawRule);
    if (!parsed.success) {
      for (const p of zodIssueMessages(parsed.error.issues, rawRule, base)) add(p.path, p.message);
      return;
    }
    const spec = parsed.data;
    const ctx: CompileContext = { lists, exceptions, problem: (path, message) => add(path, message) };
    const compiled = compileRule(spec, ctx, base);
    checkAuditValues(spec, lists, base, add);
    for (const w of emptyListWarnings(spec, lists, base)) warnings.push({ ...w, line: lineOf(w.path) });
    (spec.notify ?? []).forEach((name, j) => {
      if (!destinations.some((d) => d.name === name)) {
        const known = destinations.map((d) => d.name);
        add([...base, 'notify', j], `unknown destination "${name}"${known.length ? ` (destinations defined: ${known.join(', ')})` : ' (the file defines no destinations)'}`);
      }
    });
    // Examples may assume list contents (an empty sensitive_tables cannot fire); compile a copy for them.
    const exampleLists = spec.examples?.lists;
    const exampleRule = exampleLists
      ? compileRule(spec, { lists: { ...lists, ...exampleLists }, exceptions, problem: () => {} }, base)
      : compiled;
    checkExamples(spec, exampleRule, base, add);
    rules.push({ spec, compiled, exampleRule });
  });

  const ruleSet = problems.length === 0 ? new RuleSet(rules.map((r) => r.compiled), destinations) : null;
  return { ruleSet, problems, warnings, ruleIds, rules, lists, exceptions };
}

function checkExamples(spec: RuleSpec, rule: CompiledRule, base: (string | number)[], add: (path: (string | number)[], message: string) => void) {
  spec.examples?.match?.forEach((like, j) => {
    const verdict = rule.explain(exampleEvent(like));
    if (!verdict.fires) add([...base, 'examples', 'match', j], `this example must fire but ${verdict.reason}`);
  });
  spec.examples?.ignore?.forEach((like, j) => {
    if (rule.explain(exampleEvent(like)).fires) add([...base, 'examples', 'ignore', j], 'this example must not fire, but the rule fires for it');
  });
}

/** The line of the deepest node that exists on the path (a missing key points at its parent). */
function findLine(doc: Document, lineCounter: LineCounter, path: (string | number)[]): number | null {
  for (let n = path.length; n >= 1; n--) {
    const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
    if (node && typeof node === 'object' && node.range) return lineCounter.linePos(node.range[0]).line;
  }
  return null;
}
