import type { CompileContext } from './compileValue';
import { compileMatchBlock, plainValues, type EventMatcher } from './compileMatchBlock';
import type { MatchBlock } from './MatchBlock';
import type { CompiledRule } from './CompiledRule';
import type { RuleDefinition } from './RuleDefinition';

export function compileRule(spec: RuleDefinition, ctx: CompileContext, path: (string | number)[]): CompiledRule {
  const match = compileMatchBlock(spec.match, ctx, [...path, 'match']);
  const excepts = (spec.except ?? []).map((entry, i) => compileException(entry, ctx, [...path, 'except', i]));
  const commands = plainValues(spec.match.command);
  const classes = plainValues(spec.match.class);
  const indexKeys = commands ? commands.map((c) => `command:${c}`) : classes ? classes.map((c) => `class:${c}`) : null;
  const explain = (event: Parameters<CompiledRule['fires']>[0]) => {
    if (!match(event)) return { fires: false, reason: 'does not satisfy match' };
    const i = excepts.findIndex((e) => e.test(event));
    if (i >= 0) return { fires: false, reason: `is suppressed by ${excepts[i]!.name ? `exception "${excepts[i]!.name}" (except[${i}])` : `except[${i}]`}` };
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
    fires: (event) => match(event) && !excepts.some((e) => e.test(event)),
  };
}

/**
 * One `except:` entry: an inline block, or the name of one of the file's shared `exceptions:` (written
 * once, so nine rules do not repeat the platform accounts). An unknown name is reported and excepts nothing.
 */
function compileException(entry: MatchBlock | string, ctx: CompileContext, path: (string | number)[]): { name: string | null; test: EventMatcher } {
  if (typeof entry !== 'string') return { name: null, test: compileMatchBlock(entry, ctx, path) };
  const block = ctx.exceptions?.[entry];
  if (block === undefined) {
    const known = Object.keys(ctx.exceptions ?? {});
    ctx.problem(path, `unknown exception "${entry}"${known.length > 0 ? ` (exceptions defined: ${known.join(', ')})` : ' (the file defines no exceptions)'}`);
    return { name: entry, test: () => false };
  }
  return { name: entry, test: compileMatchBlock(block, ctx, ['exceptions', entry]) };
}
