import type { CommandSpec } from './CommandSpec';

/** `pgaudit-alerts scan [--input FILE] [--dry-run] ...` */
export function usageLine(spec: CommandSpec): string {
  const options = Object.entries(spec.options).map(([name, o]) => `[--${name}${o.type === 'string' ? ` ${o.value ?? 'VALUE'}` : ''}]${o.multiple ? '...' : ''}`);
  return ['pgaudit-alerts', spec.name, ...options, ...(spec.args ? [spec.args] : [])].join(' ');
}

/** `help <command>` and `<command> --help`: usage, summary, every option, notes. */
export function commandHelp(spec: CommandSpec): string {
  const rows = Object.entries(spec.options).map(([name, o]) => {
    const flag = `--${name}${o.type === 'string' ? ` ${o.value ?? 'VALUE'}` : ''}`;
    const extra = [o.multiple ? 'repeatable' : null, o.default !== undefined && o.default !== false ? `default: ${String(o.default)}` : null].filter(Boolean);
    return [flag, `${o.description}${extra.length ? ` (${extra.join('; ')})` : ''}`] as const;
  });
  rows.push(['--help', 'show this help']);
  const width = Math.max(...rows.map(([flag]) => flag.length));
  return [
    `usage: ${usageLine(spec)}`,
    '',
    spec.summary,
    '',
    'options:',
    ...rows.map(([flag, text]) => `  ${flag.padEnd(width)}  ${text}`),
    ...(spec.notes?.length ? ['', ...spec.notes] : []),
    '',
  ].join('\n');
}

/** The top-level help: every command with its one-line summary. */
export function overviewHelp(specs: readonly CommandSpec[], version: string): string {
  const width = Math.max(...specs.map((s) => s.name.length));
  return [
    `pgaudit-alerts ${version}: alerts on PostgreSQL pgAudit logs`,
    '',
    'usage: pgaudit-alerts <command> [options]',
    '',
    'commands:',
    ...specs.map((s) => `  ${s.name.padEnd(width)}  ${s.summary}`),
    '',
    'pgaudit-alerts help <command>     every option of a command (or: pgaudit-alerts <command> --help)',
    'pgaudit-alerts --version          the version',
    '',
    'Exit codes: 0 success, 1 a problem you can fix (the message names the file, setting or rule), 2 unexpected failure.',
    '',
  ].join('\n');
}
