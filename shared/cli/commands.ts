import type { CliCommand } from './CliIO';
import { parseCommand } from './commands/parse';

/** Every CLI command by name. */
export const commands: Record<string, CliCommand> = {
  parse: parseCommand,
};
