import { StringDecoder } from 'node:string_decoder';

/**
 * Streams the lines of a UTF-8 input, split on `\n` only. Node's readline also splits on a lone `\r`
 * and drops the `\r` of CRLF, but a CR inside a logged statement is data that must survive.
 * Constant memory whatever the input size.
 */
export async function* readLines(input: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  for await (const chunk of input) {
    const text = pending + (typeof chunk === 'string' ? chunk : decoder.write(chunk));
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      yield text.slice(start, nl);
      start = nl + 1;
    }
    pending = text.slice(start);
  }
  pending += decoder.end();
  if (pending !== '') yield pending;
}
