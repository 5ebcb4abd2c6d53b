import type { TokenCredential } from '@azure/identity';
import { createLogsQueryClient } from '../logAnalytics/createLogsQueryClient';
import type { Settings } from '../settings/Settings';
import { logAnalyticsSource } from '../source/logAnalytics/logAnalyticsSource';
import type { LogSource } from '../source/LogSource';
import { createArchiveContainerClient } from '../source/storageArchive/createArchiveContainerClient';
import { storageArchiveSource } from '../source/storageArchive/storageArchiveSource';
import { archiveCursorStore } from './archiveCursorStore';
import type { Logger } from '../util/Logger';

export interface PolledSourceContext {
  settings: Settings;
  /** Log Analytics, the archive, OpenSearch secrets in Key Vault: DefaultAzureCredential (the app's identity). */
  credential: TokenCredential;
  /** The identity-based state store's credential (AzureWebJobsStorage__credential), for tables next to the state. */
  storageCredential: TokenCredential;
  log: Logger;
}

/** A source the timer polls (Event Hubs, which pushes, is a trigger of its own). */
export interface PolledSource {
  /** What users read in `scan --help` and messages. */
  title: string;
  /** The settings that turn it on, for `scan --source NAME` when they are missing. */
  needs: string;
  configured(settings: Settings): boolean;
  create(context: PolledSourceContext): LogSource;
}

/**
 * Every polled source, by the name `scan --source NAME` takes. Without `--source`, `scan` and the timer
 * run each configured one, in this order, each with its own watermark scope. A new source registers here.
 */
export const POLLED_SOURCES = {
  'log-analytics': {
    title: 'Log Analytics workspace',
    needs: 'LOGS_WORKSPACE_ID (the Log Analytics workspace id)',
    configured: (s) => s.logsWorkspaceId !== null,
    create: ({ settings, credential, log }) => logAnalyticsSource(
      { client: createLogsQueryClient(settings, credential), workspaceId: settings.logsWorkspaceId!, table: settings.logsTable, servers: settings.pgServers, log },
      settings,
    ),
  },
  storage: {
    title: 'Storage archive (diagnostic setting to a storage account)',
    needs: 'ARCHIVE_STORAGE_ACCOUNT (or ARCHIVE_STORAGE_CONNECTION)',
    configured: (s) => s.archiveStorageAccount !== null || s.archiveStorageConnection !== null,
    create: ({ settings, credential, storageCredential, log }) => storageArchiveSource({
      container: createArchiveContainerClient({
        connectionString: settings.archiveStorageConnection,
        accountName: settings.archiveStorageAccount,
        container: settings.archiveContainer,
        endpointSuffix: settings.storageSuffix,
        credential,
      }),
      cursors: archiveCursorStore(settings, storageCredential),
      maxLatenessMs: settings.archiveMaxLatenessMs,
      servers: settings.pgServers,
      log,
    }),
  },
  // opensearch: the OpenSearch source (issue 13) registers here.
} satisfies Record<string, PolledSource>;

export type PolledSourceName = keyof typeof POLLED_SOURCES;

/** Settings of sources announced in the docs whose code is not in this build yet: set, they must not be ignored silently. */
export const NOT_YET_AVAILABLE: Record<string, string> = { OPENSEARCH_URL: 'opensearch' };

