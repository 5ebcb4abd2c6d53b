import type { z } from 'zod';
import { closestName } from '../util/closestName';
import { RULE_FILE_KEYS } from './ruleFileKeys';

type Path = (string | number)[];
export interface IssueProblem {
  path: Path;
  message: string;
}

const VALUE_FORMS = 'a string, a list of strings, or one of { list: NAME }, { regex: "..." }, { mentions: [...] }, { not: VALUE }';
const VALUE_KEYS = ['list', 'regex', 'mentions', 'not'];

/**
 * zod's issues as messages a rule author understands: "unknown key "clas" (did you mean "class"?)"
 * rather than "Unrecognized key". `input` is the parsed document, used to describe what was found.
 */
export function zodIssueMessages(issues: readonly z.core.$ZodIssue[], input: unknown, base: Path = []): IssueProblem[] {
  const out: IssueProblem[] = [];
  for (const issue of issues) {
    const path = [...base, ...(issue.path as Path)];
    const found = valueAt(input, issue.path as Path);
    switch (issue.code) {
      case 'unrecognized_keys':
        for (const key of issue.keys) {
          const hint = closestName(key, RULE_FILE_KEYS);
          out.push({ path: [...path, key], message: `unknown key "${key}"${hint ? ` (did you mean "${hint}"?)` : ''}` });
        }
        break;
      case 'invalid_type':
        out.push({ path, message: found === undefined ? 'is required' : `expected ${issue.expected}, got ${describe(found)}` });
        break;
      case 'invalid_union': {
        // A match value: pick the branch the author evidently meant ({ list: ... } → the list branch).
        const key = found !== null && typeof found === 'object' && !Array.isArray(found) ? Object.keys(found).find((k) => VALUE_KEYS.includes(k)) : undefined;
        const branches = 'errors' in issue ? issue.errors : [];
        const branch = key !== undefined ? branches[2 + VALUE_KEYS.indexOf(key)] : undefined;
        if (branch && Object.keys(found as object).length >= 1) out.push(...zodIssueMessages(branch, found, path));
        else out.push({ path, message: `expected ${VALUE_FORMS}; got ${describe(found)}` });
        break;
      }
      case 'invalid_value':
        if (found === undefined) out.push({ path, message: 'is required' });
        else out.push({ path, message: `must be ${issue.values.length === 1 ? JSON.stringify(issue.values[0]) : `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`}, got ${describe(found)}` });
        break;
      case 'invalid_format':
        out.push({ path, message: issue.format === 'email' ? `${describe(found)} is not a valid email address` : issue.message });
        break;
      case 'invalid_key':
        out.push({ path, message: `invalid name: ${issue.issues.map((i) => i.message).join('; ')}` });
        break;
      default:
        out.push({ path, message: issue.message });
    }
  }
  return out;
}

function valueAt(input: unknown, path: Path): unknown {
  let v = input;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[p];
  }
  return v;
}

export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null (an empty value)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return `a map with keys ${Object.keys(value).map((k) => JSON.stringify(k)).join(', ') || '(none)'}`;
  return `${typeof value} ${JSON.stringify(value)}`;
}
