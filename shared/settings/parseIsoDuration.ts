import { UserError } from '../errors/UserError';

const DURATION = /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;

/**
 * The longest duration accepted (10 years). Longer ones are mistakes, and past about 270,000 years the
 * window's start is no longer a valid Date: `P99999999999D` would fail every run with a RangeError.
 */
export const MAX_DURATION_MS = 3650 * 24 * 3_600_000;

/** What is wrong with a duration, or null when it is a valid one. */
export function isoDurationProblem(text: string): string | null {
  const trimmed = text.trim();
  const m = DURATION.exec(trimmed);
  if (!m || trimmed === 'P' || trimmed.toUpperCase() === 'PT' || trimmed.toUpperCase().endsWith('T')) {
    return `${JSON.stringify(text)} is not an ISO 8601 duration such as PT30M, PT6H or P2D (weeks, days, hours, minutes, seconds)`;
  }
  const ms = toMs(m);
  if (!Number.isFinite(ms) || ms > MAX_DURATION_MS) return `${JSON.stringify(text)} is longer than the longest accepted duration, P3650D (10 years)`;
  return null;
}

/**
 * An ISO 8601 duration (`PT1H`, `P2D`, `PT90S`, `P1DT12H`) in milliseconds. Years and months are
 * refused: their length varies, and these settings are windows of time.
 */
export function parseIsoDuration(text: string, settingName: string): number {
  const problem = isoDurationProblem(text);
  if (problem !== null) throw new UserError(`setting ${settingName}: ${problem}`);
  return toMs(DURATION.exec(text.trim())!);
}

function toMs(m: RegExpExecArray): number {
  const [, w, d, h, min, s] = m.map((v) => (v === undefined ? 0 : Number(v)));
  return ((((w! * 7 + d!) * 24 + h!) * 60 + min!) * 60 + s!) * 1000;
}
