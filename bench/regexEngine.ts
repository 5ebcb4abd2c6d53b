import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { compileRuleRegex } from '../shared/match/compileRuleRegex';

/**
 * The rule-regex engine against JavaScript's RegExp on the same patterns (the default pack's regexes)
 * and texts, in the same run: realistic statements (~200 characters), and one 1 MiB statement (a record
 * at MAX_RECORD_CHARS). Only patterns both engines run are timed: a backtracking pattern such as
 * `^(a+)+$` does not come back on RegExp, which is why rules run on RE2.
 */
export function runRegexBench(): { shortRatio: number; longRatio: number; shortNs: number; longMs: number; patterns: number } {
  const pack = parse(readFileSync(join(process.cwd(), 'config', 'rules.yaml'), 'utf8')) as unknown;
  const patterns: string[] = [];
  JSON.stringify(pack, (key, value: unknown) => {
    if (key === 'regex' && typeof value === 'string') patterns.push(value);
    return value;
  });
  const short = Array.from(
    { length: 500 },
    (_, i) => `SELECT c.id, c.name, o.total FROM sales.customers c JOIN sales.orders o ON o.customer_id = c.id WHERE o.created_at > now() - interval '${i} days' ORDER BY o.total DESC LIMIT 50`,
  );
  const long = 'SELECT ' + 'col_x, '.repeat((1 << 20) / 7) + '1 FROM sales.orders';
  const js = patterns.map((p) => new RegExp(p, 'i'));
  const re2 = patterns.map((p) => {
    const re = compileRuleRegex(p);
    if ('problem' in re) throw new Error(`default pack regex ${p}: ${re.problem}`);
    return re;
  });
  const run = (engine: { test(text: string): boolean }[], texts: string[], rounds: number): number => {
    let hits = 0;
    const started = process.hrtime.bigint();
    for (let r = 0; r < rounds; r++) for (const text of texts) for (const re of engine) if (re.test(text)) hits++;
    const ns = Number(process.hrtime.bigint() - started);
    if (hits < 0) throw new Error('unreachable');
    return ns / (rounds * texts.length * engine.length);
  };
  const median = (v: number[]) => [...v].sort((x, y) => x - y)[Math.floor(v.length / 2)]!;
  const measure = (texts: string[], rounds: number) => {
    run(js, texts, 1);
    run(re2, texts, 1); // warm-up
    const a: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < 5; i++) {
      a.push(run(js, texts, rounds));
      b.push(run(re2, texts, rounds));
    }
    return { js: median(a), re2: median(b) };
  };
  const s = measure(short, 20);
  const l = measure([long], 1);
  return { shortRatio: s.re2 / s.js, longRatio: l.re2 / l.js, shortNs: s.re2, longMs: l.re2 / 1e6, patterns: patterns.length };
}
