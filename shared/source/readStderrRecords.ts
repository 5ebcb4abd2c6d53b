import type { LineBatch } from './readLines';
import { MAX_RECORD_CHARS } from './sourceLimits';
import type { SourceItem } from './SourceRecord';

/** `%t`, `%m` and `%n`-less prefixes start so: `2026-12-02 07:07:59` (or with a `T`). */
const LOG_TIMESTAMP_START = /^\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d/;

/**
 * PostgreSQL's stderr log: a record continues on lines that start with a TAB, which PostgreSQL inserted
 * after every newline inside the record. Exactly one TAB is removed per newline (`\n\t` in a statement
 * is `\n\t\t` on disk). A record longer than MAX_RECORD_CHARS keeps its first MAX_RECORD_CHARS.
 */
export async function* readStderrRecords(batches: AsyncIterable<LineBatch>, name: string, server: string | null, maxChars = MAX_RECORD_CHARS): AsyncGenerator<SourceItem[]> {
  let pieces: string[] = [];
  let length = 0;
  let oversized = false;
  let joins: number[] | null = null;
  let startLine = 0;
  let lineNo = 0;
  const item = (): SourceItem => ({
    record: {
      location: `${name}:${startLine}`, server, line: pieces.length === 1 ? pieces[0]! : pieces.join('\n'), rowTime: null, rowPid: null,
      ...(oversized ? { oversized: true } : {}),
      ...(joins !== null ? { joins } : {}),
    },
  });
  for await (const { lines, cut } of batches) {
    const out: SourceItem[] = [];
    for (let i = 0; i < lines.length; i++) {
      const raw = lines[i]!;
      lineNo++;
      if (pieces.length > 0 && raw.charCodeAt(0) === 9 /* TAB */) {
        if (cut?.has(i)) oversized = true;
        if (length + raw.length <= maxChars) {
          pieces.push(raw.slice(1));
          length += raw.length; // the TAB's place is taken by the newline
        } else {
          const room = maxChars - length;
          if (room > 1) pieces.push(raw.slice(1, room));
          length = maxChars;
          oversized = true;
        }
        continue;
      }
      // Every record PostgreSQL writes has `SEVERITY:  ` after its prefix. A first line that starts with a
      // log timestamp but has no `:  ` may be a prefix cut by a newline inside a role, database or
      // application name (PostgreSQL puts no TAB there): the record goes on, newline included, on this
      // line. Splitting it would lose the record; but a stray line with a timestamp must not swallow the
      // genuine record after it either, so the join is marked (`joins`) and the parse stage undoes it
      // unless the joined text fits the log_line_prefix. (Text without a timestamp is never joined.)
      if (pieces.length === 1 && LOG_TIMESTAMP_START.test(pieces[0]!) && !pieces[0]!.includes(':  ') && length + 1 + raw.length <= maxChars) {
        (joins ??= []).push(pieces[0]!.length);
        pieces = [`${pieces[0]!}\n${raw}`];
        length += 1 + raw.length;
        continue;
      }
      if (pieces.length > 0) out.push(item());
      pieces = [raw];
      length = raw.length;
      joins = null;
      oversized = cut?.has(i) === true;
      startLine = lineNo;
    }
    if (out.length > 0) yield out;
  }
  if (pieces.length > 0) yield [item()];
}
