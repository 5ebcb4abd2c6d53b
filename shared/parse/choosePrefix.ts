import { mayMatter } from '../source/mayMatter';
import type { SourceRecord } from '../source/SourceRecord';
import { COMMON_PREFIXES } from './commonPrefixes';
import { compileLogLinePrefix, type LogLinePrefix } from './compileLogLinePrefix';

/** Sample size for deciding the prefix: the first lines that matter (AUDIT and connection lines). */
export const PREFIX_SAMPLE = 200;

export interface PrefixChoice {
  prefix: LogLinePrefix;
  /** Why another prefix than the configured one was used, or null. */
  note: string | null;
}

/**
 * Keeps the configured prefix when it fits the sample; otherwise tries the common ones and takes the
 * one that fits most lines. Only lines that matter are counted, since other lines (startup messages,
 * a stray `psql` error) say nothing about the prefix of audit lines.
 */
export function choosePrefix(configured: LogLinePrefix, sample: SourceRecord[]): PrefixChoice {
  const lines = sample.map((r) => r.line ?? '').filter(mayMatter);
  if (lines.length === 0) return { prefix: configured, note: null };
  // Quietly: sampling parses lines more than once, and only their real reading counts refused timestamps.
  const fits = (p: LogLinePrefix): number => configured.timestamps.quietly(() => lines.filter((l) => p.parse(l) !== null).length);
  const configuredFits = fits(configured);
  if (configuredFits === lines.length) return { prefix: configured, note: null };
  let best = configured;
  let bestFits = configuredFits;
  for (const text of COMMON_PREFIXES) {
    if (text === configured.text) continue;
    const candidate = compileLogLinePrefix(text, configured.timestamps);
    const n = fits(candidate);
    if (n > bestFits) {
      best = candidate;
      bestFits = n;
    }
  }
  if (best === configured) return { prefix: configured, note: null };
  return {
    prefix: best,
    note: `log_line_prefix ${JSON.stringify(configured.text)} fits ${configuredFits} of ${lines.length} sampled lines; detected ${JSON.stringify(best.text)} (fits ${bestFits}); pass --prefix or set PG_LOG_LINE_PREFIX to choose`,
  };
}
