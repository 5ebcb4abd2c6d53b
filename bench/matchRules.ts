import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AuditEvent } from '../shared/model/AuditEvent';
import { exampleEvent } from '../shared/rules/exampleEvent';
import { validateRules } from '../shared/rules/validateRules';

/**
 * Rule matching per event, as the rule count grows with rules that cannot fire for the event's
 * class/command: with the class/command index the cost per event must stay flat. Reports the ratio of
 * the default pack plus 300 DDL rules to the default pack alone (goal: close to 1).
 */
export function runMatchBench(events = 200_000): { baseNsPerEvent: number; grownNsPerEvent: number; ratio: number } {
  // npm run bench runs from the repository root.
  const pack = readFileSync(join(process.cwd(), 'config', 'rules.yaml'), 'utf8');
  const extra = Array.from(
    { length: 300 },
    (_, i) => `  - id: extra-ddl-${i}\n    severity: low\n    falsepositives: [Unlikely]\n    match: { command: CREATE TABLE, object: "schema${i}.*" }\n`,
  ).join('');
  const base = validateRules(pack, { lists: { sensitive_tables: ['sales.payment_cards'] } }).ruleSet!;
  const grown = validateRules(`${pack}${extra}`, { lists: { sensitive_tables: ['sales.payment_cards'] } }).ruleSet!;
  const sample: AuditEvent[] = [
    exampleEvent({ class: 'READ', command: 'SELECT', objects: [{ type: 'TABLE', name: 'sales.orders' }], user: 'app_web', statement: 'SELECT * FROM sales.orders WHERE id = $1' }),
    exampleEvent({ class: 'WRITE', command: 'INSERT', objects: [{ type: 'TABLE', name: 'sales.orders' }], user: 'app_web', statement: 'INSERT INTO sales.orders VALUES ($1, $2)' }),
    exampleEvent({ class: 'WRITE', command: 'UPDATE', objects: [{ type: 'TABLE', name: 'sales.customers' }], user: 'app_web', statement: 'UPDATE sales.customers SET name = $1' }),
  ];
  const time = (set: typeof base): number => {
    let fired = 0;
    const started = process.hrtime.bigint();
    for (let i = 0; i < events; i++) fired += set.match(sample[i % sample.length]!).length;
    const ns = Number(process.hrtime.bigint() - started);
    if (fired !== 0) throw new Error('benchmark events must not fire');
    return ns / events;
  };
  time(base);
  time(grown); // warm-up
  const b: number[] = [];
  const g: number[] = [];
  for (let run = 0; run < 5; run++) {
    b.push(time(base));
    g.push(time(grown));
  }
  const median = (v: number[]) => [...v].sort((x, y) => x - y)[Math.floor(v.length / 2)]!;
  return { baseNsPerEvent: median(b), grownNsPerEvent: median(g), ratio: median(g) / median(b) };
}
