import { createReadStream } from 'node:fs';
import { readLines } from '../shared/source/readLines';

/**
 * The floor a parse is measured against: read the same file, JSON-decode each row and find `AUDIT:` in
 * its Message. Nothing can parse these rows faster than this. Prints the count so the work is not elided.
 */
async function main(): Promise<void> {
  let audit = 0;
  for await (const { lines } of readLines(createReadStream(process.argv[2]!))) {
    for (const line of lines) {
      if (line === '') continue;
      const row = JSON.parse(line) as { Message?: string };
      if (row.Message !== undefined && row.Message.includes('AUDIT:')) audit++;
    }
  }
  process.stdout.write(`${audit}\n`);
}

void main();
