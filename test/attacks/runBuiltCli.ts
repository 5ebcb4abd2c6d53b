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
  /** Killed because its resident set passed `killAboveKiB` (read from /proc while it runs, on Linux). */
  killedOverKiB: number | null;
}

/**
 * Runs the built CLI (`npm run build`) in a child process, so a hang, a crash or a memory blow-up stays
 * there: the child is killed after `killAfterMs` (a guard against hanging forever, not a speed
 * assertion) and its peak RSS is read from bench/peakRss (preloaded, written at exit). With
 * `killAboveKiB`, a child whose peak resident set (VmHWM in /proc) passes it is killed at once rather than
 * left to take the machine's memory from the tests running beside it.
 */
export function runBuiltCli(
  args: string[],
  options: { env?: Record<string, string>; killAfterMs?: number; killAboveKiB?: number } = {},
): Promise<BuiltCliRun> {
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
    let killedOverKiB: number | null = null;
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, options.killAfterMs ?? 150_000);
    const watch = setInterval(() => {
      const hwm = options.killAboveKiB === undefined ? null : peakFromProc(child.pid);
      if (hwm !== null && hwm > options.killAboveKiB!) {
        killed = true;
        killedOverKiB = hwm;
        child.kill('SIGKILL');
      }
    }, 200);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      clearInterval(watch);
      const peakRssKiB = existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8')) : null;
      rmSync(dir, { recursive: true, force: true });
      resolvePromise({ code, signal, killed, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), peakRssKiB, killedOverKiB });
    });
  });
}

/** VmHWM (peak resident set, KiB) of a running process, or null where /proc is not there. */
function peakFromProc(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const m = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}
