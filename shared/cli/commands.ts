import type { CliCommand } from './CliIO';
import { checkRulesCommand } from './commands/checkRules';
import { kqlCommand } from './commands/kql';
import { notifyTestCommand } from './commands/notifyTest';
import { parseCommand } from './commands/parse';
import { scanCommand } from './commands/scan';

/** Every CLI command by name. */
export const commands: Record<string, CliCommand> = {
  parse: parseCommand,
  'check-rules': checkRulesCommand,
  scan: scanCommand,
  kql: kqlCommand,
  'notify-test': notifyTestCommand,
};
