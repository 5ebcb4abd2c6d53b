import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runEventHubBench } from './eventHubLatency';
import { generateAzureDiagnosticsRows } from './generateAzureDiagnosticsRows';
import { runLongLineBench } from './longLine';
import { runMatchBench } from './matchRules';
import { runRegexBench } from './regexEngine';
import { runScaleBench } from './scaleLogAnalytics';

/**
 * `npm run bench`: the whole `parse` command on AzureDiagnostics NDJSON, as a ratio to the floor (read +
 * JSON-decode + find "AUDIT:") measured in the same run. Runs alternate, medians are compared; the
 * ratio, not the seconds, is the result. Target: parse ≤ 2× floor. Peak RSS is reported too: parse
 * streams, so it must stay flat as the input grows (compare BENCH_ROWS=100000 with 300000).
 */
const ROWS = Number(process.env.BENCH_ROWS ?? 300_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

function timed(args: string[], rssFile: string): { ms: number; peakRssMb: number } {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ['--require', join(__dirname, 'peakRss.js'), ...args], {
    stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26, env: { ...process.env, BENCH_RSS_FILE: rssFile },
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr.toString()}`);
  return { ms, peakRssMb: Number(readFileSync(rssFile, 'utf8')) / 1024 };
}

function dir2(): string {
  return mkdtempSync(join(tmpdir(), 'pgaudit-bench-lines-'));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pgaudit-bench-'));
  try {
    const file = join(dir, 'azure-diagnostics.ndjson');
    await generateAzureDiagnosticsRows(file, ROWS);
    const mb = statSync(file).size / 1e6;
    const floor = [join(__dirname, 'floorScan.js'), file];
    const parse = [join(__dirname, '..', 'shared', 'cli', 'main.js'), 'parse', '--format', 'azure-diagnostics', file];
    const rssFile = join(dir, 'peak-rss');
    timed(floor, rssFile); // warm the page cache
    const floorRuns: { ms: number; peakRssMb: number }[] = [];
    const parseRuns: { ms: number; peakRssMb: number }[] = [];
    for (let i = 0; i < RUNS; i++) {
      floorRuns.push(timed(floor, rssFile));
      parseRuns.push(timed(parse, rssFile));
    }
    const f = median(floorRuns.map((r) => r.ms));
    const p = median(parseRuns.map((r) => r.ms));
    const rss = (runs: { peakRssMb: number }[]): string => `peak RSS ${Math.max(...runs.map((r) => r.peakRssMb)).toFixed(0)} MB`;
    console.log(`parse ${ROWS} AzureDiagnostics rows (${mb.toFixed(0)} MB), median of ${RUNS} alternating runs`);
    console.log(`  floor (read + JSON.parse + find AUDIT:): ${f.toFixed(0)} ms  (${Math.round(ROWS / (f / 1000))} rows/s, ${rss(floorRuns)})`);
    console.log(`  pgaudit-alerts parse (whole command):   ${p.toFixed(0)} ms  (${Math.round(ROWS / (p / 1000))} rows/s, ${rss(parseRuns)})`);
    console.log(`  ratio parse/floor: ${(p / f).toFixed(2)}x  (target <= 2.00x)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const lines = runLongLineBench(dir2(), timed);
  console.log(`parse of one ${lines.mb} MB line vs ${lines.mb} MB of ordinary lines (stderr, the same AUDIT records otherwise), median of ${RUNS}`);
  console.log(`  ordinary lines ${lines.normalMs.toFixed(0)} ms, one line ${lines.longMs.toFixed(0)} ms (peak RSS ${lines.longRssMb.toFixed(0)} MB): ratio ${(lines.longMs / lines.normalMs).toFixed(2)}x  (goal <= 1.00x: reading is linear, the line is cut at 1 MiB)`);

  const regex = runRegexBench();
  console.log(`rule regexes (${regex.patterns} from the default pack), RE2 (re2js) vs JavaScript RegExp, same run`);
  console.log(`  ~200-char statements: ${regex.shortNs.toFixed(0)} ns per test, ratio ${regex.shortRatio.toFixed(2)}x; 1 MiB statement: ${regex.longMs.toFixed(1)} ms per test, ratio ${regex.longRatio.toFixed(2)}x  (RegExp never returns on ^(a+)+$ against a…ab)`);

  const match = runMatchBench();
  console.log('rule matching per event, default pack vs default pack + 300 rules that cannot fire (class/command index)');
  console.log(`  ${match.baseNsPerEvent.toFixed(0)} ns vs ${match.grownNsPerEvent.toFixed(0)} ns: ratio ${match.ratio.toFixed(2)}x  (goal ~1.00x)`);

  const hub = await runEventHubBench();
  console.log(`Event Hubs trigger, ${hub.records}-record batches (decode → merge → sessions → match → ledger (in memory) → Slack stand-in)`);
  console.log(`  added latency, batch in → Slack request out: median ${hub.latencyMs.toFixed(1)} ms  (target < 1000 ms); a bare Slack POST alone: ${hub.floorMs.toFixed(1)} ms, ratio ${(hub.latencyMs / hub.floorMs).toFixed(1)}x`);
  console.log(
    `  throughput, one instance: ${Math.round(hub.recordsPerSecond)} records/s with every batch alerting, ${Math.round(hub.redeliveredRecordsPerSecond)} records/s redelivered ` +
      `(alerts already in the ledger); floor (decode + find AUDIT:) ${Math.round(hub.floorRecordsPerSecond)} records/s`,
  );

  if (process.env.BENCH_SCALE === '0') return;
  const rows = Number(process.env.BENCH_SCALE_ROWS ?? 1_000_000);
  const scale = await runScaleBench({ auditRows: rows });
  console.log(`Log Analytics scan of one window holding ${rows} AUDIT rows (stand-in with the 500,000-row / 64 MB limits)`);
  console.log(
    `  ${scale.rows} rows → ${scale.events} events in ${scale.seconds.toFixed(1)} s (${Math.round(scale.rowsPerSecond)} rows/s), ` +
      `${scale.queries.length} queries (${scale.queries.filter((q) => !q.startsWith('ok:')).length} over a limit, then split), peak RSS of the scanning process ${scale.peakRssMb.toFixed(0)} MB  (goal < 1024 MB)`,
  );
}

void main();
