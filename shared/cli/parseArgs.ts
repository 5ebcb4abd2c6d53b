import { parseArgs as nodeParseArgs } from 'node:util';
import { UserError } from '../errors/UserError';
import type { CommandSpec } from './CommandSpec';

/** Option values by name (each command casts its own, as its spec declares them). */
export interface ParsedArgs {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
}

/**
 * node:util parseArgs driven by the command's spec; its errors become UserErrors (the CLI adds the
 * command name once, so the message does not).
 */
export function parseArgs(spec: CommandSpec, argv: string[]): ParsedArgs {
  const options = Object.fromEntries(Object.entries(spec.options).map(([name, o]) => [name, {
    type: o.type,
    ...(o.multiple ? { multiple: true } : {}),
    ...(o.default !== undefined ? { default: o.default } : {}),
  }])) as NonNullable<Parameters<typeof nodeParseArgs>[0]>['options'];
  try {
    return nodeParseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    const message = (err as Error).message.replace(/\. To specify a positional argument starting with a '-'.*$/s, '');
    throw new UserError(`${message}; see pgaudit-alerts help ${spec.name}`, { cause: err });
  }
}
