import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileRuleRegex } from '../../shared/match/compileRuleRegex';
import { exampleEvent } from '../../shared/rules/exampleEvent';
import { validateRules } from '../../shared/rules/validateRules';
import { formatRuleProblem } from '../../shared/rules/RuleProblem';
import { runCliCapture } from '../support/runCliCapture';

const rulesWith = (regex: string) =>
  `version: 1\nrules:\n  - id: r\n    severity: high\n    match:\n      statement: { regex: ${JSON.stringify(regex)} }\n    falsepositives: [none known]\n`;

function problems(yaml: string): string[] {
  const result = validateRules(yaml);
  return result.problems.map((p) => formatRuleProblem('rules.yaml', p, result.ruleIds));
}

describe('rule regexes run on RE2 (linear time)', () => {
  it('`^(a+)+$` against a 100 KB statement of a…ab completes (a backtracking engine does not come back)', () => {
    const { ruleSet } = validateRules(rulesWith('^(a+)+$'));
    const event = exampleEvent({ statement: 'a'.repeat(100_000) + 'b' });
    expect(ruleSet!.match(event)).toEqual([]);
    expect(ruleSet!.match(exampleEvent({ statement: 'a'.repeat(100_000) }))).toHaveLength(1);
  });

  it('other catastrophic patterns complete on 1 MB texts', () => {
    for (const pattern of ['(x+x+)+y', '(a|aa)+$', '(.*a){12}b', '^(\\w+\\s?)*$']) {
      const re = compileRuleRegex(pattern);
      if ('problem' in re) throw new Error(re.problem);
      expect(re.test('a'.repeat(1 << 20) + '!')).toBe(false);
    }
  });

  it('keeps the documented semantics: case-insensitive, found anywhere, non-ASCII folded', () => {
    const test = (pattern: string, text: string) => {
      const re = compileRuleRegex(pattern);
      if ('problem' in re) throw new Error(re.problem);
      return re.test(text);
    };
    expect(test('drop\\s+table', 'begin; DROP   TABLE x')).toBe(true);
    expect(test('^GRANT reporting_ro TO [a-z0-9_]+;?$', 'grant REPORTING_RO to Bob_1;')).toBe(true);
    expect(test('^GRANT reporting_ro TO [a-z0-9_]+;?$', 'GRANT reporting_ro TO bob; DROP TABLE x')).toBe(false);
    expect(test('KUNDENÜBERBLICK', 'select * from sales."kundenüberblick"')).toBe(true);
    expect(test('(^|[^a-z_])(SUPERUSER|BYPASSRLS)($|[^a-z_])', 'ALTER ROLE m WITH superuser')).toBe(true);
    expect(test('(^|[^a-z_])(SUPERUSER|BYPASSRLS)($|[^a-z_])', 'ALTER ROLE m WITH nosuperuser')).toBe(false);
    expect(test('a.b', 'a\nb')).toBe(false); // `.` does not match a newline, as in JavaScript
  });

  it.each([
    ['(a)\\1', 'a backreference'],
    ['(?<n>a)\\k<n>', 'a named backreference'],
    ['drop(?= table)', 'a lookahead'],
    ['drop(?! table)', 'a negative lookahead'],
    ['(?<=x)drop', 'a lookbehind'],
    ['(?<!no)superuser', 'a negative lookbehind'],
  ])('check-rules refuses %s, naming the construct, the rule, the path and the line', (regex, construct) => {
    const out = problems(rulesWith(regex));
    expect(out).toHaveLength(1);
    expect(out[0]).toContain('rules.yaml: rule "r" (rules[0]).match.statement.regex: uses ' + construct);
    expect(out[0]).toContain('which the linear-time regex engine (RE2) cannot run');
    expect(out[0]).toMatch(/\(line 6\)$/);
  });

  it('an escaped backslash before a digit is not a backreference', () => {
    expect(problems(rulesWith('C:\\\\1'))).toEqual([]);
  });

  it('check-rules (CLI) exits 1 naming file, rule and construct; scan refuses to load the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rule-regex-'));
    writeFileSync(join(dir, 'rules.yaml'), rulesWith('(?<=x)drop'));
    const check = await runCliCapture(['check-rules', 'rules.yaml'], { cwd: dir });
    expect(check.code).toBe(1);
    expect(check.stderr).toContain('rules.yaml: rule "r" (rules[0]).match.statement.regex: uses a lookbehind `(?<=…)`');
    writeFileSync(join(dir, 'log.txt'), '');
    const scan = await runCliCapture(['scan', '--input', 'log.txt', '--rules', 'rules.yaml', '--dry-run'], { cwd: dir });
    expect(scan.code).toBe(1);
    expect(scan.stderr).toContain('uses a lookbehind');
    expect(scan.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});
