import { describe, expect, it } from 'vitest';
import { formatRuleProblem } from '../../shared/rules/RuleProblem';
import { validateRules } from '../../shared/rules/validateRules';

function problems(yaml: string): string[] {
  const result = validateRules(yaml);
  expect(result.ruleSet === null).toBe(result.problems.length > 0);
  return result.problems.map((p) => formatRuleProblem('rules.yaml', p, result.ruleIds));
}

describe('validateRules reports every problem, located', () => {
  it('lists all mistakes of a file at once with rule, path and line', () => {
    const yaml = [
      'version: 1', //                                    1
      'lists:', //                                        2
      '  staff: [alice]', //                              3
      'destinations:', //                                 4
      '  security: { slack: { channel: "#sec" } }', //    5
      'rules:', //                                        6
      '  - id: drop-object', //                           7
      '    severity: hgh', //                             8
      '    match:', //                                    9
      '      clas: DDL', //                               10
      '  - id: drop-object', //                           11
      '    severity: low', //                             12
      '    match: { user: { list: staf } }', //           13
      '    notify: [secuirty]', //                        14
      '  - id: Bad_Id', //                                15
      '    severity: low', //                             16
      "    match: { statement: { regex: '(unclosed' } }", // 17
      '  - id: no-match', //                              18
      '    severity: low', //                             19
    ].join('\n');
    expect(problems(yaml)).toEqual([
      'rules.yaml: rule "drop-object" (rules[0]).severity: must be one of "info", "low", "medium", "high", "critical", got string "hgh" (line 8)',
      'rules.yaml: rule "drop-object" (rules[0]).match.clas: unknown key "clas" (did you mean "class"?) (line 10)',
      'rules.yaml: rule "drop-object" (rules[0]).match: needs at least one field to match (line 10)',
      'rules.yaml: rule "drop-object" (rules[1]).id: duplicate id, also used by rules[0] (line 11)',
      'rules.yaml: rule "drop-object" (rules[1]).match.user.list: unknown list "staf" (lists defined: staff) (line 13)',
      'rules.yaml: rule "drop-object" (rules[1]).notify[0]: unknown destination "secuirty" (destinations defined: security) (line 14)',
      'rules.yaml: rule "Bad_Id" (rules[2]).id: must be kebab-case (lower-case letters, digits and single dashes) (line 15)',
      'rules.yaml: rule "no-match" (rules[3]).match: is required (line 18)',
    ]);
  });

  it('reports a bad regex with the rule and line', () => {
    const out = problems("version: 1\nrules:\n  - id: r\n    severity: low\n    match: { statement: { regex: '(unclosed' } }\n");
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^rules\.yaml: rule "r" \(rules\[0\]\)\.match\.statement\.regex: invalid regular expression: .*\(line 5\)$/);
  });

  it('explains a value that is none of the allowed forms', () => {
    const out = problems('version: 1\nrules:\n  - id: r\n    severity: low\n    match: { user: { lst: x } }\n');
    expect(out).toEqual([
      'rules.yaml: rule "r" (rules[0]).match.user: expected a string, a list of strings, or one of { list: NAME }, { regex: "..." }, { mentions: [...] }, { not: VALUE }; got a map with keys "lst" (line 5)',
    ]);
  });

  it('reports YAML syntax errors with their line, and a wrong version', () => {
    expect(problems('version: 1\nrules:\n  - id: [\n')[0]).toMatch(/^rules\.yaml: \(file\): YAML syntax: .*\(line \d+\)$/);
    expect(problems('version: 2\nrules: []\n')).toEqual(['rules.yaml: version: must be 1, got number 2 (line 1)']);
    expect(problems('rules: []\n')).toEqual(['rules.yaml: version: is required']);
  });

  it('rejects unknown top-level keys and bad destinations', () => {
    expect(problems('version: 1\nrule: []\nrules: []\ndestinations:\n  ops: { email: { to: [not-an-address] } }\n')).toEqual([
      'rules.yaml: rule: unknown key "rule" (did you mean "rules"?) (line 2)',
      'rules.yaml: destinations.ops.email.to[0]: string "not-an-address" is not a valid email address (line 5)',
    ]);
  });

  it('accepts a valid file', () => {
    expect(problems('version: 1\nlists:\n  empty:\nrules:\n  - id: r\n    severity: low\n    match: { user: { list: empty } }\n')).toEqual([]);
  });
});
