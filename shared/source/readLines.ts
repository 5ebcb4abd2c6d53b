import { StringDecoder } from 'node:string_decoder';

/**
 * Streams the lines of a UTF-8 input in batches (one batch per chunk read), split on `\n` only.
 * Node's readline also splits on a lone `\r` and drops the `\r` of CRLF, but a CR inside a logged
 * statement is data that must survive. Batches keep the per-line cost of async iteration off the hot
 * path. Constant memory whatever the input size.
 */
export async function* readLines(input: AsyncIterable<Buffer | string>): AsyncGenerator<string[]> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  for await (const chunk of input) {
    const text = pending + (typeof chunk === 'string' ? chunk : decoder.write(chunk));
    const batch: string[] = [];
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      batch.push(text.slice(start, nl));
      start = nl + 1;
    }
    pending = text.slice(start);
    if (batch.length > 0) yield batch;
  }
  pending += decoder.end();
  if (pending !== '') yield [pending];
}
