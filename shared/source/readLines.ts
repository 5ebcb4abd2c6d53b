import { StringDecoder } from 'node:string_decoder';
import { MAX_RECORD_CHARS } from './sourceLimits';

/** One chunk's worth of lines. `cut` lists the lines longer than the cap (see readLines), by index. */
export interface LineBatch {
  lines: string[];
  /** Index in `lines` → number of `"` in the dropped part (csvlog keeps its quote parity); null when none was cut. */
  cut: Map<number, number> | null;
}

/**
 * Streams the lines of a UTF-8 input in batches (one batch per chunk read), split on `\n` only.
 * Node's readline also splits on a lone `\r` and drops the `\r` of CRLF, but a CR inside a logged
 * statement is data that must survive. Batches keep the per-line cost of async iteration off the hot
 * path.
 *
 * Linear in the input and constant in memory whatever the line length: each chunk is searched once
 * (a line spanning chunks is kept as pieces and joined once, never re-concatenated and re-searched),
 * and a line longer than `maxChars` keeps its first `maxChars` code units; the rest is dropped as it
 * arrives and the line is reported in `cut`.
 */
export async function* readLines(input: AsyncIterable<Buffer | string>, maxChars: number = MAX_RECORD_CHARS): AsyncGenerator<LineBatch> {
  const decoder = new StringDecoder('utf8');
  let pieces: string[] = [];
  let kept = 0; // code units in pieces
  let dropped = -1; // `"` in the dropped part of the current line; -1 while nothing was dropped
  const keep = (text: string): void => {
    if (text === '') return;
    const room = maxChars - kept;
    if (text.length <= room) {
      pieces.push(text);
      kept += text.length;
      return;
    }
    const at = safeCut(text, room);
    if (at > 0) pieces.push(text.slice(0, at));
    kept += at;
    dropped = Math.max(dropped, 0) + countQuotes(text, at);
    kept = maxChars; // a cut line takes nothing more
  };
  const take = (batch: LineBatch): void => {
    const line = pieces.length === 1 ? pieces[0]! : pieces.join('');
    if (dropped >= 0) (batch.cut ??= new Map()).set(batch.lines.length, dropped);
    batch.lines.push(line);
    pieces = [];
    kept = 0;
    dropped = -1;
  };
  for await (const chunk of input) {
    const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    const batch: LineBatch = { lines: [], cut: null };
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      if (pieces.length === 0 && dropped < 0 && nl - start <= maxChars) {
        batch.lines.push(text.slice(start, nl)); // the usual case: a whole line inside this chunk
      } else {
        keep(text.slice(start, nl));
        take(batch);
      }
      start = nl + 1;
    }
    keep(start === 0 ? text : text.slice(start));
    if (batch.lines.length > 0) yield batch;
  }
  keep(decoder.end());
  if (pieces.length > 0 || dropped >= 0) {
    const batch: LineBatch = { lines: [], cut: null };
    take(batch);
    yield batch;
  }
}

/** `at`, or one less when that would split a surrogate pair. */
function safeCut(text: string, at: number): number {
  if (at <= 0) return 0;
  const c = text.charCodeAt(at - 1);
  return c >= 0xd800 && c <= 0xdbff ? at - 1 : at;
}

function countQuotes(text: string, from: number): number {
  let count = 0;
  for (let i = text.indexOf('"', from); i !== -1; i = text.indexOf('"', i + 1)) count++;
  return count;
}
