import type { Readable, Writable } from 'node:stream';

/**
 * Everything a CLI command touches, passed in so tests run commands in-process
 * with captured output and their own environment.
 */
export interface CliIO {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  env: Record<string, string | undefined>;
  cwd: string;
  /** The clock (tests pin it); default the system's. */
  now?: () => Date;
}

/** A command: parses its own argv (after the command name) and returns the exit code. */
export type CliCommand = (argv: string[], io: CliIO) => Promise<number>;
