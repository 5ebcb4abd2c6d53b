import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';
import { BlobServiceClient, type ContainerClient, type StoragePipelineOptions } from '@azure/storage-blob';
import { UserError } from '../../errors/UserError';
import { DEFAULT_ARCHIVE_CONTAINER } from './archiveBlobNames';

/**
 * How to reach the archive. The settings they will come from (not read here): `ARCHIVE_STORAGE_CONNECTION`
 * (a connection string; `UseDevelopmentStorage=true` for Azurite), or `ARCHIVE_STORAGE_ACCOUNT` (identity-based:
 * the app's managed identity needs Storage Blob Data Reader), and `ARCHIVE_CONTAINER`.
 */
export interface ArchiveAccess {
  connectionString?: string | null;
  accountName?: string | null;
  /** Default `insights-logs-postgresqllogs`. */
  container?: string | null;
  /** Blob endpoint suffix for sovereign clouds, default `core.windows.net` (e.g. `core.usgovcloudapi.net`). */
  endpointSuffix?: string | null;
  /** The account's blob endpoint when it is not `https://<account>.blob.<suffix>` (private DNS, Azurite over https). */
  blobEndpoint?: string | null;
  /** Default DefaultAzureCredential (managed identity on Azure Functions). */
  credential?: TokenCredential;
  /** Client pipeline options, e.g. retry options or an extra policy (tests record requests with one). */
  pipeline?: StoragePipelineOptions;
}

/** The archive container's client, from a connection string or an account name with an identity. */
export function createArchiveContainerClient(access: ArchiveAccess): ContainerClient {
  const container = access.container?.trim() || DEFAULT_ARCHIVE_CONTAINER;
  const connectionString = access.connectionString?.trim();
  if (connectionString) {
    let service: BlobServiceClient;
    try {
      service = BlobServiceClient.fromConnectionString(connectionString, access.pipeline);
    } catch {
      // The SDK's message may quote the string: name the setting, never its value.
      throw new UserError('ARCHIVE_STORAGE_CONNECTION is not a usable Storage connection string (expected AccountName=…;AccountKey=… or a SAS, or UseDevelopmentStorage=true)');
    }
    return service.getContainerClient(container);
  }
  const account = access.accountName?.trim();
  if (!account) throw new UserError('The Storage archive needs ARCHIVE_STORAGE_CONNECTION or ARCHIVE_STORAGE_ACCOUNT');
  if (!/^[a-z0-9]{3,24}$/.test(account)) {
    throw new UserError(`ARCHIVE_STORAGE_ACCOUNT "${account}" is not a Storage account name (3–24 lower-case letters or digits)`);
  }
  const suffix = access.endpointSuffix?.trim() || 'core.windows.net';
  const endpoint = access.blobEndpoint?.trim() || `https://${account}.blob.${suffix}`;
  const service = new BlobServiceClient(endpoint, access.credential ?? new DefaultAzureCredential(), access.pipeline);
  return service.getContainerClient(container);
}
