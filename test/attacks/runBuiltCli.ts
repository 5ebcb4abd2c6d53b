import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const CLI = join(ROOT, 'dist/shared/cli/main.js');
const PEAK_RSS = join(ROOT, 'dist/bench/peakRss.js');

export interface BuiltCliRun {
  /** Exit code, or null when the process was killed (it did not finish) or died of a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
  killed: boolean;
  stdout: string;
  stderr: string;
  /** Peak resident set size of the whole process (every thread) in KiB; null if it never reached exit. */
  peakRssKiB: number | null;
}

/**
 * Runs the built CLI (`npm run build`) in a child process, so a hang, a crash or a memory blow-up stays
 * there: the child is killed after `killAfterMs` (a guard against hanging forever, not a speed
 * assertion) and its peak RSS is read from bench/peakRss (preloaded, written at exit).
 */
export function runBuiltCli(args: string[], options: { env?: Record<string, string>; killAfterMs?: number } = {}): Promise<BuiltCliRun> {
  if (!existsSync(CLI) || !existsSync(PEAK_RSS)) throw new Error(`${CLI} or ${PEAK_RSS} missing: run npm run build first`);
  const dir = mkdtempSync(join(tmpdir(), 'pgaudit-cli-rss-'));
  const rssFile = join(dir, 'rss');
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--require', PEAK_RSS, CLI, ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...options.env, BENCH_RSS_FILE: rssFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    // Keep only the head and tail of very large outputs (an alert may carry a 40 MB statement).
    let outBytes = 0;
    child.stdout.on('data', (c: Buffer) => {
      outBytes += c.length;
      if (outBytes < 64 * 1024 * 1024) out.push(c);
    });
    child.stderr.on('data', (c: Buffer) => err.push(c));
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, options.killAfterMs ?? 150_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const peakRssKiB = existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8')) : null;
      rmSync(dir, { recursive: true, force: true });
      resolvePromise({ code, signal, killed, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), peakRssKiB });
    });
  });
}
