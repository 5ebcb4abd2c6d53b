import type { z } from 'zod';
import { ruleFileSchema } from './ruleFileSchema';

/**
 * Every key the rules file knows, at any depth, read from the one schema (ruleFileSchema): the
 * "did you mean" hints for unknown keys come from here, so a key added to the schema is known at once.
 */
export const RULE_FILE_KEYS: readonly string[] = [...keysOf(ruleFileSchema, new Set())];

function keysOf(schema: z.core.$ZodType, seen: Set<z.core.$ZodType>): Set<string> {
  const keys = new Set<string>();
  if (seen.has(schema)) return keys;
  seen.add(schema);
  const def = schema._zod.def as unknown as Record<string, unknown> & { type: string };
  const children: unknown[] = [];
  switch (def.type) {
    case 'object':
      for (const [key, child] of Object.entries(def.shape as Record<string, unknown>)) {
        keys.add(key);
        children.push(child);
      }
      break;
    case 'optional':
    case 'nullable':
    case 'default':
      children.push(def.innerType);
      break;
    case 'array':
      children.push(def.element);
      break;
    case 'record':
      children.push(def.valueType);
      break;
    case 'union':
      children.push(...(def.options as unknown[]));
      break;
    case 'lazy':
      children.push((def.getter as () => unknown)());
      break;
    case 'pipe':
      children.push(def.in, def.out);
      break;
  }
  for (const child of children) for (const key of keysOf(child as z.core.$ZodType, seen)) keys.add(key);
  return keys;
}
