import type { TokenCredential } from '@azure/identity';
import { UserError } from '../errors/UserError';
import type { Settings } from '../settings/Settings';
import type { BlobCursorStore } from '../source/storageArchive/BlobCursorStore';
import { TableBlobCursorStore } from '../source/storageArchive/TableBlobCursorStore';

/** The archive's blob cursors live next to the scan state: table `pgauditCursors` in AzureWebJobsStorage's account. */
export function archiveCursorStore(settings: Pick<Settings, 'storageConnectionString' | 'storageTableEndpoint'>, credential: TokenCredential): BlobCursorStore {
  if (settings.storageConnectionString) return TableBlobCursorStore.fromConnectionString(settings.storageConnectionString);
  if (settings.storageTableEndpoint) return TableBlobCursorStore.fromAccount(settings.storageTableEndpoint, credential);
  throw new UserError('The Storage archive source keeps its blob cursors in the state store: set AzureWebJobsStorage (or AzureWebJobsStorage__accountName)');
}
