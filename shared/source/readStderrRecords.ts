import type { SourceItem } from './SourceRecord';

/**
 * PostgreSQL's stderr log: a record continues on lines that start with a TAB, which PostgreSQL inserted
 * after every newline inside the record. Exactly one TAB is removed per newline (`\n\t` in a statement
 * is `\n\t\t` on disk).
 */
export async function* readStderrRecords(batches: AsyncIterable<string[]>, name: string, server: string | null): AsyncGenerator<SourceItem[]> {
  let current: string | null = null;
  let startLine = 0;
  let lineNo = 0;
  const item = (): SourceItem => ({
    record: { location: `${name}:${startLine}`, server, line: current!, rowTime: null, rowPid: null },
  });
  for await (const batch of batches) {
    const out: SourceItem[] = [];
    for (const raw of batch) {
      lineNo++;
      if (current !== null && raw.charCodeAt(0) === 9 /* TAB */) {
        current += '\n' + raw.slice(1);
        continue;
      }
      if (current !== null) out.push(item());
      current = raw;
      startLine = lineNo;
    }
    if (out.length > 0) yield out;
  }
  if (current !== null) yield [item()];
}
