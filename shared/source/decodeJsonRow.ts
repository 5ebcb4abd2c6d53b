import { exceedsJsonDepth } from './exceedsJsonDepth';
import { parseJsonPrefix } from './parseJsonPrefix';
import { MAX_JSON_DEPTH } from './sourceLimits';

/** A JSON row decoded, or why not. `cut` rows (longer than the cap) are read up to where they were cut. */
export type DecodedRow = { value: unknown } | { problem: string };

export function decodeJsonRow(text: string, cut: boolean): DecodedRow {
  if (exceedsJsonDepth(text, MAX_JSON_DEPTH)) return { problem: `JSON nested deeper than ${MAX_JSON_DEPTH} levels` };
  if (cut) {
    const value = parseJsonPrefix(text, MAX_JSON_DEPTH);
    return value === undefined ? { problem: 'not a JSON row (in its first 1 MiB)' } : { value };
  }
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    // Not JSON.parse's message: on Node 22 it quotes the row, which may hold a secret.
    return { problem: 'not a JSON row' };
  }
}
