import { fileSource } from '../../../shared/source/file/fileSource';
import { archiveLine, type ContractRecord } from '../../support/contractRecords';
import { logSourceContract } from '../../support/logSourceContract';
import { textStream } from '../../support/textStream';

/** The file source over diagnostic-archive NDJSON (format detected): each run is one file of what was added since the last. */
logSourceContract('file', () => {
  let pending: ContractRecord[] = [];
  let files = 0;
  return {
    kind: 'stateless',
    rereadsCommitted: false,
    add: async (records) => void pending.push(...records),
    source: () => {
      const text = pending.map(archiveLine).join('\n') + '\n';
      pending = [];
      return fileSource({ input: textStream(text, 4096), name: `archive-${++files}.json`, format: 'auto', server: null });
    },
    nextRunTime: () => new Date(),
  };
});
