import { DefaultAzureCredential, ManagedIdentityCredential, type TokenCredential } from '@azure/identity';
import type { Settings } from './Settings';

export interface AzureCredentials {
  /** Log Analytics and ACS email: DefaultAzureCredential (managed identity on Azure, az login locally). */
  app: TokenCredential;
  /** The identity-based state store, chosen as the Functions host chooses it for AzureWebJobsStorage. */
  storage: TokenCredential;
}

/**
 * The app's credentials from the settings. `app` signs in against AZURE_CLOUD's authority and uses
 * AZURE_CLIENT_ID as the user-assigned managed identity when set. `storage` follows the host's rules
 * for identity-based connections: `AzureWebJobsStorage__credential=managedidentity` means
 * ManagedIdentityCredential (user-assigned when `AzureWebJobsStorage__clientId` is set), otherwise the
 * same DefaultAzureCredential as the rest of the app.
 */
export function createAzureCredentials(
  settings: Pick<Settings, 'authorityHost' | 'azureClientId' | 'storageCredential' | 'storageClientId'>,
): AzureCredentials {
  const app = new DefaultAzureCredential({
    authorityHost: settings.authorityHost,
    ...(settings.azureClientId ? { managedIdentityClientId: settings.azureClientId } : {}),
  });
  const storage = settings.storageCredential === 'managedidentity'
    ? new ManagedIdentityCredential(settings.storageClientId ? { clientId: settings.storageClientId } : {})
    : app;
  return { app, storage };
}
