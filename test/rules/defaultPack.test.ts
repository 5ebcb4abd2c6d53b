import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { exampleEvent } from '../../shared/rules/exampleEvent';
import { validateRules } from '../../shared/rules/validateRules';

const text = readFileSync(new URL('../../config/rules.yaml', import.meta.url), 'utf8');
const validation = validateRules(text);

describe('config/rules.yaml (the default pack)', () => {
  it('is valid, with every example behaving as stated', () => {
    expect(validation.problems).toEqual([]);
    expect(validation.ruleSet).not.toBeNull();
  });

  it('points editors at the shipped JSON Schema', () => {
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=./rules.schema.json');
  });

  it('gives every rule a title, a description, a false-positives note or examples, and examples', () => {
    for (const { spec } of validation.rules) {
      expect(spec.title, spec.id).toBeTruthy();
      expect((spec.description ?? '').length, spec.id).toBeGreaterThan(40);
      expect((spec.examples?.match ?? []).length, spec.id).toBeGreaterThan(0);
      expect((spec.examples?.ignore ?? []).length, spec.id).toBeGreaterThan(0);
    }
  });

  it('ships empty tuning lists and the Azure platform accounts', () => {
    const lists = /\nlists:[\s\S]*?\n\n# Where/.exec(text)?.[0] ?? '';
    expect(lists).toContain('sensitive_tables: []');
    expect(lists).toContain('service_accounts: []');
    expect(lists).toMatch(/azure_platform_accounts: \[azuresu/);
  });

  // One test per example, so a failure names the rule and the example.
  for (const { spec, exampleRule } of validation.rules) {
    describe(`rule ${spec.id}`, () => {
      (spec.examples?.match ?? []).forEach((like, i) => {
        it(`fires for examples.match[${i}]`, () => {
          expect(exampleRule.explain(exampleEvent(like))).toEqual({ fires: true, reason: 'fires' });
        });
      });
      (spec.examples?.ignore ?? []).forEach((like, i) => {
        it(`stays quiet for examples.ignore[${i}]`, () => {
          expect(exampleRule.fires(exampleEvent(like))).toBe(false);
        });
      });
    });
  }
});

describe('example checking can fail', () => {
  it('reports an example that does not behave as stated, naming rule, path and line', () => {
    const broken = text.replace('- { class: MISC, command: SET, user: app_web, statement: SET search_path = sales }', "- { class: MISC, command: SET, user: app_web, statement: \"SET pgaudit.log = 'none'\" }");
    expect(broken).not.toBe(text);
    const result = validateRules(broken);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]!.path).toEqual(['rules', 6, 'examples', 'ignore', 0]);
    expect(result.problems[0]!.message).toBe('this example must not fire, but the rule fires for it');
    expect(result.problems[0]!.line).toBe(text.split('\n').findIndex((l) => l.includes('SET search_path = sales')) + 1);
  });
});
