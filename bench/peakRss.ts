import { writeFileSync } from 'node:fs';

/**
 * Preloaded (`node --require`) into a benchmarked process: at exit, writes the process's peak resident
 * set size in KiB (every thread, the source worker included) to $BENCH_RSS_FILE. Portable, unlike
 * `/usr/bin/time -f %M`, and costs nothing while the process runs.
 */
const file = process.env.BENCH_RSS_FILE;
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
