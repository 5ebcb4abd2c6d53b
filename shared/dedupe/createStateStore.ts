import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';
import { UserError } from '../errors/UserError';
import { redactSecrets } from '../redact/redactSecrets';
import type { StateStore } from './StateStore';
import { TableStateStore, type TableStateStoreOptions } from './TableStateStore';

/** AzureWebJobsStorage and its identity-based table endpoint, as settings/loadSettings reads them. */
export interface StateStoreSettings {
  /** AzureWebJobsStorage connection string, or null when identity-based settings are used. */
  storageConnectionString: string | null;
  /**
   * Identity-based table endpoint, as the Functions host derives it: AzureWebJobsStorage__tableServiceUri,
   * else https://<AzureWebJobsStorage__accountName>.table.<AZURE_CLOUD's storage suffix>; null with a connection string.
   */
  storageTableEndpoint: string | null;
}

/**
 * The production state store from the settings: AzureWebJobsStorage (a connection string, or
 * `UseDevelopmentStorage=true` for Azurite) wins; otherwise the identity-based table endpoint
 * (AzureWebJobsStorage__tableServiceUri, or derived from __accountName and the cloud) with the given
 * credential (DefaultAzureCredential, i.e. the app's managed identity, when none is given).
 */
export function createStateStore(
  settings: StateStoreSettings,
  credential?: TokenCredential,
  options: TableStateStoreOptions = {},
): StateStore {
  if (settings.storageConnectionString) {
    try {
      return TableStateStore.fromConnectionString(settings.storageConnectionString, options);
    } catch (err) {
      // The SDK's parse errors do not echo the string; ours must not either (it holds the account key).
      throw new UserError(`AzureWebJobsStorage is not a usable storage connection string: ${reason(err)}`, {
        code: 'STORAGE_CONNECTION_STRING', cause: err,
      });
    }
  }
  if (settings.storageTableEndpoint) {
    return TableStateStore.fromEndpoint(settings.storageTableEndpoint, credential ?? new DefaultAzureCredential(), options);
  }
  throw new UserError('No state store configured: set AzureWebJobsStorage (UseDevelopmentStorage=true for Azurite) '
    + 'or AzureWebJobsStorage__accountName (or __tableServiceUri) for the managed identity', { code: 'STORAGE_MISSING' });
}

function reason(err: unknown): string {
  return redactSecrets(err instanceof Error ? err.message : String(err));
}
