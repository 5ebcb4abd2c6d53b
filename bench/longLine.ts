import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const MB = Number(process.env.BENCH_LINE_MB ?? 40);

/**
 * Reading is linear in line length: `parse` of one line of MB megabytes (an AUDIT record whose statement
 * is that long) against MB megabytes of ordinary AUDIT lines, as a ratio in the same run. Before the
 * reader kept line pieces, one 40 MB line took ~55 s (each chunk re-joined and re-searched the line).
 */
export function runLongLineBench(
  dir: string,
  timed: (args: string[], rssFile: string) => { ms: number; peakRssMb: number },
): { mb: number; normalMs: number; longMs: number; longRssMb: number } {
  try {
    const head = '2026-11-22 12:00:00 UTC-6b02d96c.3088-LOG:  AUDIT: SESSION,';
    const bytes = MB * 1_000_000;
    const ordinary: string[] = [];
    let size = 0;
    for (let i = 1; size < bytes; i++) {
      const line = `${head}${i},1,READ,SELECT,TABLE,sales.orders,SELECT * FROM sales.orders WHERE id = ${i} AND note = 'ordinary row',<none>\n`;
      ordinary.push(line);
      size += line.length;
    }
    const normal = join(dir, 'ordinary.log');
    writeFileSync(normal, ordinary.join(''));
    const long = join(dir, 'one-line.log');
    writeFileSync(long, `${head}1,1,READ,SELECT,TABLE,sales.orders,SELECT * FROM sales.orders WHERE note = '${'x'.repeat(bytes - 200)}',<none>\n`);
    const main = join(__dirname, '..', 'shared', 'cli', 'main.js');
    const rss = join(dir, 'rss');
    const n: number[] = [];
    const l: { ms: number; peakRssMb: number }[] = [];
    for (let i = 0; i < RUNS; i++) {
      n.push(timed([main, 'parse', normal], rss).ms);
      l.push(timed([main, 'parse', long], rss));
    }
    const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
    return { mb: MB, normalMs: median(n), longMs: median(l.map((r) => r.ms)), longRssMb: Math.max(...l.map((r) => r.peakRssMb)) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
