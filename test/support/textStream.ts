import { Readable } from 'node:stream';

/** A stream of the given text, cut into small chunks so readers meet chunk boundaries everywhere. */
export function textStream(text: string, chunkSize = 7): Readable {
  const buffer = Buffer.from(text, 'utf8');
  const chunks: Buffer[] = [];
  for (let i = 0; i < buffer.length; i += chunkSize) chunks.push(buffer.subarray(i, i + chunkSize));
  return Readable.from(chunks);
}
