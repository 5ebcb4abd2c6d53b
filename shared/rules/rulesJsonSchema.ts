import { z } from 'zod';
import { ruleFileSchema } from './ruleFileSchema';

/**
 * The JSON Schema of the rules file, generated from the zod schema so the two cannot drift
 * (a test compares it with the shipped config/rules.schema.json; `npm run rules-schema` rewrites it).
 * Draft 7, which the YAML language server and most editors understand.
 */
export function rulesJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(ruleFileSchema, { target: 'draft-7', io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return {
    $schema: schema.$schema,
    title: 'pgaudit-alerts rules file',
    description: 'Rules that turn pgAudit events into alerts. See README.md, "Writing rules".',
    ...schema,
  };
}

export function rulesJsonSchemaText(): string {
  return `${JSON.stringify(rulesJsonSchema(), null, 2)}\n`;
}

// `node dist/shared/rules/rulesJsonSchema.js > config/rules.schema.json`
if (require.main === module) process.stdout.write(rulesJsonSchemaText());
