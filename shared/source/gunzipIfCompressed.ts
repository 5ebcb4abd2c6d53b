import { Readable, pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';

const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;

/**
 * The input's bytes, decompressed when they are gzip (rotated logs: `postgresql.log.1.gz`), recognised by
 * the magic bytes, not the file name, so stdin and renamed files work too. Streams (constant memory);
 * concatenated gzip members are read one after the other, as `zcat` does. A corrupt or cut-short gzip
 * stream ends the input where the damage starts and calls `onDamage` with what happened; read errors of
 * the input itself (ENOENT, EISDIR...) are thrown as before.
 */
export async function* gunzipIfCompressed(input: AsyncIterable<Buffer | string>, onDamage: (message: string) => void): AsyncGenerator<Buffer | string> {
  const iterator = input[Symbol.asyncIterator]();
  const head: (Buffer | string)[] = [];
  let headBytes = 0;
  let ended = false;
  while (headBytes < 2) {
    const next = await iterator.next();
    if (next.done) {
      ended = true;
      break;
    }
    head.push(next.value);
    if (typeof next.value === 'string') break; // text, not bytes: never compressed
    headBytes += next.value.length;
  }
  const first = Buffer.concat(head.filter((c): c is Buffer => typeof c !== 'string'));
  const compressed = head.every((c) => typeof c !== 'string') && first[0] === GZIP_MAGIC_0 && first[1] === GZIP_MAGIC_1;
  async function* rest(): AsyncGenerator<Buffer | string> {
    yield* head;
    if (ended) return;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }
  if (!compressed) {
    yield* rest();
    return;
  }
  let sourceError: unknown = null;
  async function* source(): AsyncGenerator<Buffer | string> {
    try {
      yield* rest();
    } catch (err) {
      sourceError = err;
      throw err;
    }
  }
  const gunzip = pipeline(Readable.from(source()), createGunzip({ chunkSize: 64 << 10 }), () => {});
  let out = 0;
  try {
    for await (const chunk of gunzip) {
      out += (chunk as Buffer).length;
      yield chunk as Buffer;
    }
  } catch (err) {
    if (sourceError !== null) throw sourceError;
    const code = (err as NodeJS.ErrnoException).code;
    if (typeof code !== 'string' || !code.startsWith('Z_')) throw err;
    onDamage(`gzip data is damaged or cut short after ${out} decompressed bytes (${(err as Error).message}); read up to there`);
  }
}
