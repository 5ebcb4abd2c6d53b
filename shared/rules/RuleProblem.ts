/** One mistake in a rules file, located by its path in the document and, when known, its line. */
export interface RuleProblem {
  path: (string | number)[];
  message: string;
  line: number | null;
}

/**
 * `<file>: rule "<id>" (rules[i]).<path>: <message> (line N)`, the format users and editors rely on;
 * problems outside a rule read `<file>: lists.x: <message> (line N)`.
 */
export function formatRuleProblem(file: string, problem: RuleProblem, ruleIds: (string | null)[]): string {
  const [head, index, ...rest] = problem.path;
  let where: string;
  if (head === 'rules' && typeof index === 'number') {
    const id = ruleIds[index];
    where = `rule ${id ? JSON.stringify(id) : '(no id)'} (rules[${index}])${formatPath(rest)}`;
  } else {
    where = formatPath(problem.path).replace(/^\./, '') || '(file)';
  }
  return `${file}: ${where}: ${problem.message}${problem.line !== null ? ` (line ${problem.line})` : ''}`;
}

export function formatPath(path: (string | number)[]): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('');
}
