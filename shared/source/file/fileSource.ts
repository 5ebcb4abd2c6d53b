import type { LogSource } from '../LogSource';
import { itemBatches } from '../itemBatches';
import { openSource } from '../openSource';
import type { SourceFormat } from '../SourceRecord';

export interface FileSourceOptions {
  /** The bytes (plain or gzip), e.g. a file stream or stdin. */
  input: AsyncIterable<Buffer | string>;
  /** Name used in problem locations, e.g. the file name. */
  name: string;
  /** `auto` decides once from the first lines. */
  format: SourceFormat | 'auto';
  /** Server name for plain files (Azure rows carry their own). */
  server: string | null;
}

/**
 * The `file` source: one log file or stream in any supported format, read once. It keeps no position
 * (scope null): a file scan is a pure function of the file and the rules.
 */
export function fileSource(options: FileSourceOptions): LogSource<never> {
  return {
    name: 'file',
    description: `file ${options.name}`,
    scope: null,
    async read() {
      const opened = await openSource(options.input, options.format, options.name, options.server?.toLowerCase() ?? null);
      // A stderr log is in write order (a record's CONTEXT line is the next line); rows are not.
      return { window: null, position: null, ordered: opened.format === 'stderr', batches: itemBatches(opened.items) };
    },
    commit: async () => {},
  };
}
