import type { RuleValue } from '../match/RuleValue';
import type { RuleSpec } from './ruleFileSchema';

type Path = (string | number)[];

/**
 * Lists a rule's `match` needs entries from but that are empty (the shipped `sensitive_tables`): until
 * someone fills them, the rule cannot fire. A warning, not an error: the default pack ships them empty
 * on purpose. Lists under `not:` or in `except` only widen or narrow an exception, so they are left alone.
 */
export function emptyListWarnings(spec: RuleSpec, lists: Readonly<Record<string, readonly string[]>>, base: Path):
  { path: Path; message: string }[] {
  if (spec.enabled === false) return [];
  const warnings: { path: Path; message: string }[] = [];
  for (const [field, value] of Object.entries(spec.match) as [string, RuleValue | undefined][]) {
    const ref = value === undefined ? null : positiveListOf(value);
    if (!ref || lists[ref.list] === undefined || lists[ref.list]!.length > 0) continue;
    warnings.push({
      path: [...base, 'match', field, ...ref.path],
      message: `list "${ref.list}" is empty, so this rule cannot fire: fill in lists.${ref.list} `
        + `(or try values first with scan --list ${ref.list}=a,b)`,
    });
  }
  return warnings;
}

/** The list a value needs entries from (`{ list }`, `{ mentions: { list } }`); null for others, `not:` included. */
export function positiveListOf(value: RuleValue): { list: string; path: Path } | null {
  if (typeof value === 'string' || Array.isArray(value)) return null;
  if ('list' in value) return { list: value.list, path: ['list'] };
  if ('mentions' in value && !Array.isArray(value.mentions)) return { list: value.mentions.list, path: ['mentions', 'list'] };
  return null;
}
