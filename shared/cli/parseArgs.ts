import { parseArgs as nodeParseArgs } from 'node:util';
import { UserError } from '../errors/UserError';

type Options = NonNullable<Parameters<typeof nodeParseArgs>[0]>['options'];

/** node:util parseArgs with errors turned into UserErrors that name the command. */
export function parseArgs<O extends Options>(command: string, argv: string[], options: O) {
  try {
    return nodeParseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UserError(`${command}: ${(err as Error).message}`, { cause: err });
  }
}
