import type { AuditEvent } from '../model/AuditEvent';
import type { Destination } from '../model/Destination';
import type { CompiledRule } from './CompiledRule';

/**
 * The enabled rules of a file, indexed by the class/command they require, so an event is tested only
 * against rules that could fire for it: adding a hundred DDL rules does not slow the matching of
 * SELECTs. Rules keep their file order in the result.
 */
export class RuleSet {
  readonly rules: readonly CompiledRule[];
  readonly destinations: readonly Destination[];
  /** Rules that cannot fire yet (an empty list they match on), as check-rules words them; logged by every scan. */
  readonly warnings: readonly string[];
  private readonly always: number[] = [];
  private readonly byKey = new Map<string, number[]>();

  constructor(rules: CompiledRule[], destinations: Destination[], warnings: readonly string[] = []) {
    this.rules = rules.filter((r) => r.enabled);
    this.destinations = destinations;
    this.warnings = warnings;
    this.rules.forEach((rule, i) => {
      if (rule.indexKeys === null) return this.always.push(i);
      for (const key of rule.indexKeys) {
        const list = this.byKey.get(key) ?? [];
        list.push(i);
        this.byKey.set(key, list);
      }
    });
  }

  /** The rules that fire for the event, in file order. */
  match(event: AuditEvent): CompiledRule[] {
    const candidates = new Set<number>(this.always);
    for (const line of event.lines) {
      for (const i of this.byKey.get(`class:${line.class.toUpperCase()}`) ?? []) candidates.add(i);
      for (const i of this.byKey.get(`command:${line.command.toUpperCase()}`) ?? []) candidates.add(i);
    }
    const fired: CompiledRule[] = [];
    for (const i of [...candidates].sort((a, b) => a - b)) {
      const rule = this.rules[i]!;
      if (rule.fires(event)) fired.push(rule);
    }
    return fired;
  }
}
