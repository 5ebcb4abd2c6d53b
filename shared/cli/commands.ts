import type { CommandDefinition } from './CommandSpec';
import { checkRulesCommand, checkRulesSpec } from './commands/checkRules';
import { doctorCommand, doctorSpec } from './commands/doctor';
import { kqlCommand, kqlSpec } from './commands/kql';
import { notifyTestCommand, notifyTestSpec } from './commands/notifyTest';
import { parseCommand, parseSpec } from './commands/parse';
import { scanCommand, scanSpec } from './commands/scan';

/** Every CLI command by name, in the order help lists them. */
export const commands: Record<string, CommandDefinition> = {
  parse: { spec: parseSpec, run: parseCommand },
  'check-rules': { spec: checkRulesSpec, run: checkRulesCommand },
  scan: { spec: scanSpec, run: scanCommand },
  kql: { spec: kqlSpec, run: kqlCommand },
  'notify-test': { spec: notifyTestSpec, run: notifyTestCommand },
  doctor: { spec: doctorSpec, run: doctorCommand },
};
