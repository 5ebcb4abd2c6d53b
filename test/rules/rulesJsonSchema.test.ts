import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rulesJsonSchemaText } from '../../shared/rules/rulesJsonSchema';

describe('config/rules.schema.json', () => {
  it('is the schema generated from the zod rules schema (run `npm run rules-schema` after changing it)', () => {
    const shipped = readFileSync(new URL('../../config/rules.schema.json', import.meta.url), 'utf8');
    expect(shipped).toBe(rulesJsonSchemaText());
  });

  it('describes the rule format strictly (unknown keys are errors for editors too)', () => {
    const schema = JSON.parse(rulesJsonSchemaText());
    expect(schema.required).toEqual(['version', 'rules']);
    expect(schema.additionalProperties).toBe(false);
    const rule = schema.properties.rules.items;
    expect(rule.required).toEqual(['id', 'severity', 'match', 'falsepositives']);
    expect(rule.additionalProperties).toBe(false);
    expect(rule.properties.severity.enum).toEqual(['info', 'low', 'medium', 'high', 'critical']);
  });
});
