import { UserError } from '../../errors/UserError';
import { checkRulesFile } from '../../rules/loadRules';
import type { CliCommand } from '../CliIO';
import type { CommandSpec } from '../CommandSpec';
import { parseArgs } from '../parseArgs';
import { DEFAULT_RULES_PATH } from '../../rules/defaultRulesPath';

/**
 * `check-rules [file]`: validates a rules file (default: AUDIT_RULES_PATH or config/rules.yaml),
 * including every rule's examples; prints every problem, one per line, and exits 1 when any exists.
 * Rules that cannot fire yet (an empty list in their match) are printed as warnings; exit stays 0.
 */
export const checkRulesSpec: CommandSpec = {
  name: 'check-rules',
  summary: 'validate a rules file and run its examples; lists every problem with its line',
  args: '[rules.yaml]',
  options: {},
  notes: ['The file defaults to AUDIT_RULES_PATH, else config/rules.yaml.'],
};

export const checkRulesCommand: CliCommand = async (argv, io) => {
  const { positionals } = parseArgs(checkRulesSpec, argv);
  if (positionals.length > 1) throw new UserError('expected at most one rules file');
  const file = positionals[0] ?? io.env.AUDIT_RULES_PATH ?? DEFAULT_RULES_PATH;
  const checked = await checkRulesFile(file, io.cwd);
  // Warnings (rules that cannot fire yet) never change the exit code: the default pack ships empty lists.
  for (const warning of checked.warningMessages) io.stderr.write(`warning: ${warning}\n`);
  if (checked.messages.length > 0) {
    for (const message of checked.messages) io.stderr.write(`${message}\n`);
    io.stderr.write(`${file}: ${checked.messages.length} problem(s) found\n`);
    return 1;
  }
  const examples = checked.rules.reduce((n, r) => n + (r.spec.examples?.match?.length ?? 0) + (r.spec.examples?.ignore?.length ?? 0), 0);
  const disabled = checked.rules.filter((r) => !r.compiled.enabled).length;
  const waiting = checked.warningMessages.length > 0 ? `, ${checked.warningMessages.length} warning(s)` : '';
  io.stdout.write(`${file}: OK, ${checked.rules.length} rules${disabled ? ` (${disabled} disabled)` : ''}, ${examples} examples behave as stated${waiting}\n`);
  return 0;
};
