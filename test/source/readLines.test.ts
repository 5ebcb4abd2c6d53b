import fc from 'fast-check';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readLines } from '../../shared/source/readLines';
import { MAX_RECORD_CHARS } from '../../shared/source/sourceLimits';
import { textStream } from '../support/textStream';

async function collect(input: AsyncIterable<Buffer | string>, maxChars?: number) {
  const lines: string[] = [];
  const cut = new Map<number, number>();
  for await (const batch of readLines(input, maxChars)) {
    for (const [i, quotes] of batch.cut ?? []) cut.set(lines.length + i, quotes);
    lines.push(...batch.lines);
  }
  return { lines, cut };
}

const countQuotes = (s: string) => s.split('"').length - 1;

describe('readLines', () => {
  it('property: lines are the text split on \\n, each cut at maxChars with the quotes of the dropped part counted', async () => {
    const chars = fc.constantFrom('a', '"', '\n', '\r', 'ü', '😀', ' ');
    await fc.assert(
      fc.asyncProperty(fc.array(chars, { maxLength: 200 }), fc.integer({ min: 1, max: 17 }), fc.integer({ min: 2, max: 12 }), async (list, chunk, maxChars) => {
        const text = list.join('');
        const { lines, cut } = await collect(textStream(text, chunk), maxChars);
        const expected = text.split('\n');
        if (expected[expected.length - 1] === '') expected.pop();
        expect(lines.length).toBe(expected.length);
        expected.forEach((line, i) => {
          if (line.length <= maxChars) {
            expect(lines[i]).toBe(line);
            expect(cut.has(i)).toBe(false);
          } else {
            // Cut at maxChars, or one before so as not to split a surrogate pair.
            expect(line.startsWith(lines[i]!)).toBe(true);
            expect(lines[i]!.length).toBeGreaterThanOrEqual(maxChars - 1);
            expect(lines[i]!.length).toBeLessThanOrEqual(maxChars);
            expect(cut.get(i)).toBe(countQuotes(line.slice(lines[i]!.length)));
          }
        });
      }),
      { numRuns: 300 },
    );
  });

  it('reads a 40 MB line in one pass: cut at MAX_RECORD_CHARS, the lines after it intact', async () => {
    // Quadratic before (each 64 KiB chunk re-joined and re-searched the whole pending line): ~55 s.
    const piece = Buffer.alloc(64 << 10, 'y');
    async function* input() {
      yield Buffer.from('first\n');
      for (let i = 0; i < 640; i++) yield piece;
      yield Buffer.from('\nlast\n');
    }
    const { lines, cut } = await collect(input());
    expect(lines.map((l) => l.length)).toEqual([5, MAX_RECORD_CHARS, 4]);
    expect([...cut.keys()]).toEqual([1]);
  });

  it('a string chunk holding many lines and one long one is split the same way', async () => {
    const text = `a\n${'z'.repeat(MAX_RECORD_CHARS + 10)}\nb`;
    const { lines, cut } = await collect(Readable.from([text]));
    expect(lines).toEqual(['a', 'z'.repeat(MAX_RECORD_CHARS), 'b']);
    expect(cut.get(1)).toBe(0);
  });
});
