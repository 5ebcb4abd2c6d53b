import { createReadStream } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UserError } from '../errors/UserError';
import type { CliIO } from './CliIO';

export interface CliInput {
  /** For messages: the path as given, or `stdin`. */
  name: string;
  /** The resolved file path; null for stdin. A command may read the file itself (e.g. on a worker thread). */
  path: string | null;
  /** The input as a stream, opened on first use (a command that reads `path` never opens it). */
  readonly stream: AsyncIterable<Buffer | string>;
}

/** `-` is stdin; anything else a file, checked up front so a typo gives a clear message, not a stack. */
export async function openInput(path: string, io: CliIO): Promise<CliInput> {
  if (path === '-') return { stream: io.stdin, name: 'stdin', path: null };
  const full = resolve(io.cwd, path);
  try {
    await access(full);
  } catch (err) {
    throw new UserError(`${path}: cannot read input file (${(err as NodeJS.ErrnoException).code ?? 'error'})`, { cause: err });
  }
  if ((await stat(full)).isDirectory()) {
    throw new UserError(`${path}: is a directory, not a log file; pass one file (or "-" for stdin)`);
  }
  let stream: AsyncIterable<Buffer | string> | null = null;
  return {
    name: path,
    path: full,
    get stream() {
      return (stream ??= createReadStream(full));
    },
  };
}
