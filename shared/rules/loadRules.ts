import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UserError } from '../errors/UserError';
import { RuleSet } from '../match/RuleSet';
import { formatRuleProblem, type RuleProblem } from './RuleProblem';
import { validateRules, type RulesValidation, type ValidateOptions } from './validateRules';

export interface CheckedRules extends RulesValidation {
  file: string;
  /** Every problem, formatted `<file>: rule "<id>" (rules[i]).<path>: <message> (line N)`. */
  messages: string[];
  /** Every warning (a rule that cannot fire yet), formatted the same way. */
  warningMessages: string[];
}

/** Reads and validates a rules file; a file that cannot be read is a UserError naming it. */
export async function checkRulesFile(file: string, cwd: string = process.cwd(), options: ValidateOptions = {}): Promise<CheckedRules> {
  let text: string;
  try {
    text = await readFile(resolve(cwd, file), 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (code ?? 'read error');
    throw new UserError(`${file}: cannot read the rules file (${why}); set AUDIT_RULES_PATH or pass --rules`, {
      code: 'RULES_UNREADABLE',
      cause: err,
    });
  }
  const validation = validateRules(text, options);
  const format = (p: RuleProblem) => formatRuleProblem(file, p, validation.ruleIds);
  return { ...validation, file, messages: validation.problems.map(format), warningMessages: validation.warnings.map(format) };
}

/** Loads a rules file for scanning: any problem fails the load with every problem in the message. */
export async function loadRules(file: string, cwd?: string, options: ValidateOptions = {}): Promise<RuleSet> {
  const checked = await checkRulesFile(file, cwd, options);
  if (!checked.ruleSet) {
    throw new UserError(`${file}: ${checked.messages.length} problem(s) in the rules file:\n${checked.messages.join('\n')}`, { code: 'RULES_INVALID' });
  }
  // The warnings travel with the rules, so every scan can repeat them when it starts.
  return new RuleSet([...checked.ruleSet.rules], [...checked.ruleSet.destinations], checked.warningMessages);
}
