import type { TokenCredential } from '@azure/identity';
import { createLogsQueryClient } from '../logAnalytics/createLogsQueryClient';
import type { Settings } from '../settings/Settings';
import { logAnalyticsSource } from '../source/logAnalytics/logAnalyticsSource';
import type { LogSource } from '../source/LogSource';
import { createArchiveContainerClient } from '../source/storageArchive/createArchiveContainerClient';
import { MemoryBlobCursorStore } from '../source/storageArchive/MemoryBlobCursorStore';
import { storageArchiveSource } from '../source/storageArchive/storageArchiveSource';
import { createOpenSearchApi } from '../source/openSearch/createOpenSearchApi';
import { OpenSearchLogReader } from '../source/openSearch/OpenSearchLogReader';
import { openSearchSource } from '../source/openSearch/openSearchSource';
import { archiveCursorStore } from './archiveCursorStore';
import type { Logger } from '../util/Logger';

export interface PolledSourceContext {
  settings: Settings;
  /** Log Analytics, the archive, OpenSearch secrets in Key Vault: DefaultAzureCredential (the app's identity). */
  credential: TokenCredential;
  /** The identity-based state store's credential (AzureWebJobsStorage__credential), for tables next to the state. */
  storageCredential: TokenCredential;
  log: Logger;
  /**
   * Read without the source's stored positions (`doctor`: a window, not what is new since the last scan):
   * the archive's blob cursors then live in memory, so nothing is read from or written to the state store.
   */
  stateless?: boolean;
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
    create: ({ settings, credential, storageCredential, log, stateless }) => storageArchiveSource({
      container: createArchiveContainerClient({
        connectionString: settings.archiveStorageConnection,
        accountName: settings.archiveStorageAccount,
        container: settings.archiveContainer,
        endpointSuffix: settings.storageSuffix,
        credential,
      }),
      cursors: stateless ? new MemoryBlobCursorStore() : archiveCursorStore(settings, storageCredential),
      maxLatenessMs: settings.archiveMaxLatenessMs,
      servers: settings.pgServers,
      log,
    }),
  },
  opensearch: {
    title: "OpenSearch (Aiven's log integration)",
    needs: 'OPENSEARCH_URL (with OPENSEARCH_USERNAME and OPENSEARCH_PASSWORD)',
    configured: (s) => s.openSearchUrl !== null,
    create: ({ settings, log }) => {
      const api = createOpenSearchApi({ ...settings, openSearchUrl: settings.openSearchUrl! });
      return openSearchSource({
        reader: new OpenSearchLogReader({ api, settings }),
        url: settings.openSearchUrl!,
        index: settings.openSearchIndex,
        initialLookbackMs: settings.initialLookbackMs,
        maxLatenessMs: settings.openSearchMaxLatenessMs,
        settleDelayMs: settings.settleDelayMs,
        servers: settings.pgServers,
        log,
      });
    },
  },
} satisfies Record<string, PolledSource>;

export type PolledSourceName = keyof typeof POLLED_SOURCES;

/**
 * Settings of sources announced in the docs whose code is not in this build yet: set, they must not be ignored
 * silently (`scan` says so, or fails when nothing else is configured). A source leaves this table when it
 * joins POLLED_SOURCES.
 */
export const NOT_YET_AVAILABLE: Record<string, string> = {};

