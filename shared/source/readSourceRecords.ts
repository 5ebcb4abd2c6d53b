import { readAzureRows } from './readAzureRows';
import { readCsvlogRecords } from './readCsvlogRecords';
import { readJsonlogRecords } from './readJsonlogRecords';
import { readOpenSearchExport } from './openSearch/readOpenSearchExport';
import { readStderrRecords } from './readStderrRecords';
import type { LineBatch } from './readLines';
import type { SourceFormat, SourceItem } from './SourceRecord';

/** The reader for each input format. Every Azure row shape goes through the same row reader. */
export function readSourceRecords(format: SourceFormat, lines: AsyncIterable<LineBatch>, name: string, server: string | null): AsyncGenerator<SourceItem[]> {
  switch (format) {
    case 'stderr':
      return readStderrRecords(lines, name, server);
    case 'csvlog':
      return readCsvlogRecords(lines, name, server);
    case 'jsonlog':
      return readJsonlogRecords(lines, name, server);
    case 'azure-diagnostics':
    case 'pgsql-server-logs':
    case 'azure-blob':
      return readAzureRows(lines, name, server);
    case 'opensearch':
      return readOpenSearchExport(lines, name, server);
  }
}
