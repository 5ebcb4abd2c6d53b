import type { CliCommand } from './CliIO';

/** One option of a command: what node:util parseArgs needs, plus what `--help` prints. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  multiple?: boolean;
  default?: string | boolean;
  /** The value's placeholder in help (`FILE`, `NAME=a,b`). */
  value?: string;
  description: string;
}

/** What a command accepts, described once: parsing and help both read it, so help lists every option. */
export interface CommandSpec {
  name: string;
  summary: string;
  /** Positional arguments as shown in usage, e.g. `<file | ->`. */
  args?: string;
  options: Record<string, OptionSpec>;
  /** Extra help lines: settings read, examples. */
  notes?: string[];
}

export interface CommandDefinition {
  spec: CommandSpec;
  run: CliCommand;
}
