import type { CompileContext } from './compileValue';
import { compileMatchBlock, plainValues } from './compileMatchBlock';
import type { CompiledRule } from './CompiledRule';
import type { RuleDefinition } from './RuleDefinition';

export function compileRule(spec: RuleDefinition, ctx: CompileContext, path: (string | number)[]): CompiledRule {
  const match = compileMatchBlock(spec.match, ctx, [...path, 'match']);
  const excepts = (spec.except ?? []).map((block, i) => compileMatchBlock(block, ctx, [...path, 'except', i]));
  const commands = plainValues(spec.match.command);
  const classes = plainValues(spec.match.class);
  const indexKeys = commands ? commands.map((c) => `command:${c}`) : classes ? classes.map((c) => `class:${c}`) : null;
  const explain = (event: Parameters<CompiledRule['fires']>[0]) => {
    if (!match(event)) return { fires: false, reason: 'does not satisfy match' };
    const i = excepts.findIndex((e) => e(event));
    if (i >= 0) return { fires: false, reason: `is suppressed by except[${i}]` };
    return { fires: true, reason: 'fires' };
  };
  return {
    id: spec.id,
    title: spec.title ?? spec.id,
    description: spec.description?.trim() || null,
    severity: spec.severity,
    enabled: spec.enabled ?? true,
    notify: spec.notify ?? null,
    indexKeys,
    explain,
    fires: (event) => match(event) && !excepts.some((e) => e(event)),
  };
}
