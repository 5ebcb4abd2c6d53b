import { describe, expect, it } from 'vitest';
import { formatRuleProblem } from '../../shared/rules/RuleProblem';
import { validateRules } from '../../shared/rules/validateRules';
import { exampleEvent } from '../../shared/rules/exampleEvent';

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
      '    falsepositives: [none known]', //              11
      '  - id: drop-object', //                           12
      '    severity: low', //                             13
      '    falsepositives: [none known]', //              14
      '    match: { user: { list: staf } }', //           15
      '    notify: [secuirty]', //                        16
      '  - id: Bad_Id', //                                17
      '    severity: low', //                             18
      '    falsepositives: [none known]', //              19
      "    match: { statement: { regex: '(unclosed' } }", // 20
      '  - id: no-match', //                              21
      '    severity: low', //                             22
      '    falsepositives: [none known]', //              23
    ].join('\n');
    expect(problems(yaml)).toEqual([
      'rules.yaml: rule "drop-object" (rules[0]).severity: must be one of "info", "low", "medium", "high", "critical", got string "hgh" (line 8)',
      'rules.yaml: rule "drop-object" (rules[0]).match.clas: unknown key "clas" (did you mean "class"?) (line 10)',
      'rules.yaml: rule "drop-object" (rules[0]).match: needs at least one field to match (line 10)',
      'rules.yaml: rule "drop-object" (rules[1]).id: duplicate id, also used by rules[0] (line 12)',
      'rules.yaml: rule "drop-object" (rules[1]).match.user.list: unknown list "staf" (lists defined: staff) (line 15)',
      'rules.yaml: rule "drop-object" (rules[1]).notify[0]: unknown destination "secuirty" (destinations defined: security) (line 16)',
      'rules.yaml: rule "Bad_Id" (rules[2]).id: must be kebab-case (lower-case letters, digits and single dashes) (line 17)',
      'rules.yaml: rule "no-match" (rules[3]).match: is required (line 21)',
    ]);
  });

  it('reports a bad regex with the rule and line', () => {
    const out = problems("version: 1\nrules:\n  - id: r\n    severity: low\n    match: { statement: { regex: '(unclosed' } }\n    falsepositives: [none known]\n");
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^rules\.yaml: rule "r" \(rules\[0\]\)\.match\.statement\.regex: invalid regular expression: .*\(line 5\)$/);
  });

  it('explains a value that is none of the allowed forms', () => {
    const out = problems('version: 1\nrules:\n  - id: r\n    severity: low\n    match: { user: { lst: x } }\n    falsepositives: [none known]\n');
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
    expect(problems('version: 1\nlists:\n  empty:\nrules:\n  - id: r\n    severity: low\n    match: { user: { list: empty } }\n    falsepositives: [none known]\n')).toEqual([]);
  });

  it('requires falsepositives on every rule', () => {
    expect(problems('version: 1\nrules:\n  - id: r\n    severity: low\n    match: { class: READ }\n')).toEqual([
      'rules.yaml: rule "r" (rules[0]).falsepositives: is required (line 3)',
    ]);
    expect(problems('version: 1\nrules:\n  - id: r\n    severity: low\n    falsepositives: []\n    match: { class: READ }\n')).toEqual([
      'rules.yaml: rule "r" (rules[0]).falsepositives: name at least one benign activity that can fire this rule (line 5)',
    ]);
  });

  it('resolves named exceptions and reports an unknown one with the names defined', () => {
    const yaml = (ref: string) =>
      `version: 1\nlists:\n  admins: [azuresu]\nexceptions:\n  platform: { user: { list: admins } }\nrules:\n  - id: r\n    severity: low\n    match: { class: READ }\n    falsepositives: [none known]\n    except: [${ref}]\n`;
    expect(problems(yaml('platform'))).toEqual([]);
    expect(problems(yaml('platfrom'))).toEqual(['rules.yaml: rule "r" (rules[0]).except[0]: unknown exception "platfrom" (exceptions defined: platform) (line 11)']);
    const rule = validateRules(yaml('platform')).rules[0]!.compiled;
    expect(rule.explain(exampleEvent({ class: 'READ', command: 'SELECT', user: 'azuresu' }))).toEqual({ fires: false, reason: 'is suppressed by exception "platform" (except[0])' });
    expect(rule.explain(exampleEvent({ class: 'READ', command: 'SELECT', user: 'mallory' }))).toEqual({ fires: true, reason: 'fires' });
  });

  it('checks a named exception like an except entry', () => {
    expect(problems('version: 1\nexceptions:\n  bad: { usr: x }\nrules: []\n')).toEqual([
      'rules.yaml: exceptions.bad.usr: unknown key "usr" (did you mean "user"?) (line 3)',
      'rules.yaml: exceptions.bad: needs at least one field to match (line 3)',
    ]);
  });

  it('checks the class and command values of a named exception against what pgAudit logs, once', () => {
    const text = 'version: 1\nlists:\n  cmds: [VACUM]\nexceptions:\n  typo: { class: DLL, command: "DROP TABEL" }\n'
      + '  listed: { command: { list: cmds } }\n  fine: { class: ddl, command: "DROP *" }\nrules:\n  - id: r\n    severity: low\n'
      + '    match: { class: DDL }\n    falsepositives: [none known]\n    except: [typo, listed, fine]\n';
    expect(problems(text)).toEqual([
      'rules.yaml: exceptions.typo.class: "DLL" is not a class pgAudit logs (did you mean "DDL"?) (line 5)',
      'rules.yaml: exceptions.typo.command: "DROP TABEL" is not a command tag PostgreSQL 13–17 logs (did you mean "DROP TABLE"?) (line 5)',
      'rules.yaml: exceptions.listed.command.list: "VACUM" (entry of list "cmds") is not a command tag PostgreSQL 13–17 logs (did you mean "VACUUM"?) (line 6)',
    ]);
  });
});

const oneRule = (match: string, extra = '', lists = '') =>
  `version: 1\n${lists ? `lists:\n${lists}\n` : ''}rules:\n  - id: r\n    severity: low\n    match: ${match}\n${extra}    falsepositives: [none known]\n`;

describe('class and command values must be something pgAudit logs (PostgreSQL 13–17)', () => {
  it('accepts every pgAudit class and PostgreSQL command tag, in any case, and patterns that can match one', () => {
    for (const match of [
      '{ class: [READ, WRITE, FUNCTION, ROLE, DDL, MISC, MISC_SET] }',
      '{ class: misc_set, command: set }',
      '{ command: [GRANT ROLE, REVOKE ROLE, TRUNCATE TABLE, MERGE, LOGIN, "???", SELECT FOR KEY SHARE] }',
      '{ command: "DROP *" }',
      '{ command: "alter ?ole" }',
      '{ command: { regex: "^create (table|view)" } }',
      '{ class: { not: READ } }',
    ]) expect(problems(oneRule(match)), match).toEqual([]);
    expect(problems(oneRule('{ command: { list: cmds } }', '', '  cmds: [DROP TABLE, "ALTER *"]'))).toEqual([]);
  });

  it('rejects impossible values in match, except, not, lists, wildcards and regexes, each located', () => {
    const out = problems(oneRule('{ class: [READ, WRTIE], command: "DROP TABEL" }',
      '    except:\n      - { command: { not: GRNT } }\n      - { command: "DORP *" }\n      - { command: { regex: "^frobnicate" } }\n      - { command: { list: cmds } }\n',
      '  cmds: [DELETE, DELET]'));
    expect(out).toEqual([
      'rules.yaml: rule "r" (rules[0]).match.class[1]: "WRTIE" is not a class pgAudit logs (did you mean "WRITE"?) (line 7)',
      'rules.yaml: rule "r" (rules[0]).match.command: "DROP TABEL" is not a command tag PostgreSQL 13–17 logs (did you mean "DROP TABLE"?) (line 7)',
      'rules.yaml: rule "r" (rules[0]).except[0].command.not: "GRNT" is not a command tag PostgreSQL 13–17 logs (did you mean "GRANT"?) (line 9)',
      'rules.yaml: rule "r" (rules[0]).except[1].command: "DORP *" matches no command tag PostgreSQL 13–17 logs (commands are command tags such as SELECT, DROP TABLE, GRANT ROLE) (line 10)',
      'rules.yaml: rule "r" (rules[0]).except[2].command.regex: regex "^frobnicate" matches no command tag PostgreSQL 13–17 logs (commands are command tags such as SELECT, DROP TABLE, GRANT ROLE) (line 11)',
      'rules.yaml: rule "r" (rules[0]).except[3].command.list: "DELET" (entry of list "cmds") is not a command tag PostgreSQL 13–17 logs (did you mean "DELETE"?) (line 12)',
    ]);
    expect(problems(oneRule('{ class: SECRET }'))).toEqual([
      'rules.yaml: rule "r" (rules[0]).match.class: "SECRET" is not a class pgAudit logs (classes: READ, WRITE, FUNCTION, ROLE, DDL, MISC, MISC_SET) (line 5)',
    ]);
  });
});

describe('a rule that cannot fire because a list its match needs is empty', () => {
  const warnings = (yaml: string, lists?: Record<string, string[]>) => {
    const result = validateRules(yaml, lists ? { lists } : {});
    expect(result.problems).toEqual([]);
    return result.warnings.map((p) => formatRuleProblem('rules.yaml', p, result.ruleIds));
  };

  it('warns naming the rule, the place and the list to fill, for { list } and { mentions: { list } }', () => {
    expect(warnings(oneRule('{ class: READ, object: { list: tables }, statement: { mentions: { list: tables } } }', '', '  tables: []'))).toEqual([
      'rules.yaml: rule "r" (rules[0]).match.object.list: list "tables" is empty, so this rule cannot fire: fill in lists.tables (or try values first with scan --list tables=a,b) (line 7)',
      'rules.yaml: rule "r" (rules[0]).match.statement.mentions.list: list "tables" is empty, so this rule cannot fire: fill in lists.tables (or try values first with scan --list tables=a,b) (line 7)',
    ]);
  });

  it('stays quiet for lists in except or under not, filled lists, --list overrides and disabled rules', () => {
    expect(warnings(oneRule('{ class: READ }', '    except:\n      - { user: { list: staff } }\n', '  staff: []'))).toEqual([]);
    expect(warnings(oneRule('{ user: { not: { list: staff } } }', '', '  staff: []'))).toEqual([]);
    expect(warnings(oneRule('{ user: { list: staff } }', '', '  staff: [alice]'))).toEqual([]);
    expect(warnings(oneRule('{ user: { list: staff } }', '', '  staff:'), { staff: ['alice'] })).toEqual([]);
    expect(warnings(oneRule('{ user: { list: staff } }', '    enabled: false\n', '  staff: []'))).toEqual([]);
  });
});
