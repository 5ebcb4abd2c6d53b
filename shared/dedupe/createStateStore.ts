import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';
import { UserError } from '../errors/UserError';
import { redactSecrets } from '../redact/redactSecrets';
import type { StateStore } from './StateStore';
import { TableStateStore, type TableStateStoreOptions } from './TableStateStore';

/** AzureWebJobsStorage and AzureWebJobsStorage__accountName, as settings/loadSettings reads them. */
export interface StateStoreSettings {
  /** AzureWebJobsStorage connection string, or null when the identity-based account name is used. */
  storageConnectionString: string | null;
  storageAccountName: string | null;
}

/**
 * The production state store from the settings: AzureWebJobsStorage (a connection string, or
 * `UseDevelopmentStorage=true` for Azurite) wins; otherwise AzureWebJobsStorage__accountName with the
 * given credential (DefaultAzureCredential, i.e. the app's managed identity, when none is given).
 */
export function createStateStore(
  settings: StateStoreSettings,
  credential?: TokenCredential,
  options: TableStateStoreOptions & { endpoint?: string } = {},
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
  if (settings.storageAccountName) {
    return TableStateStore.fromAccount(settings.storageAccountName, credential ?? new DefaultAzureCredential(), options);
  }
  throw new UserError('No state store configured: set AzureWebJobsStorage (UseDevelopmentStorage=true for Azurite) '
    + 'or AzureWebJobsStorage__accountName', { code: 'STORAGE_MISSING' });
}

function reason(err: unknown): string {
  return redactSecrets(err instanceof Error ? err.message : String(err));
}
