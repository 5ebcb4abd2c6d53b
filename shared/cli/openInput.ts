import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UserError } from '../errors/UserError';
import type { CliIO } from './CliIO';

/** `-` is stdin; anything else a file, checked up front so a typo gives a clear message, not a stack. */
export async function openInput(path: string, io: CliIO): Promise<{ stream: AsyncIterable<Buffer | string>; name: string }> {
  if (path === '-') return { stream: io.stdin, name: 'stdin' };
  const full = resolve(io.cwd, path);
  try {
    await access(full);
  } catch (err) {
    throw new UserError(`${path}: cannot read input file (${(err as NodeJS.ErrnoException).code ?? 'error'})`, { cause: err });
  }
  return { stream: createReadStream(full), name: path };
}
