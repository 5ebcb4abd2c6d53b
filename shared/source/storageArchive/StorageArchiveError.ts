import { azureStatusCode, describeAzureError } from '../../errors/describeAzureError';

/**
 * A Storage archive operation (listing, reading a blob, the cursor table) failed. The message names the
 * operation and what it was done to (container, prefix, blob or table); never the connection string or key.
 */
export class StorageArchiveError extends Error {
  override readonly name = 'StorageArchiveError';
  readonly statusCode: number | undefined;
  constructor(operation: string, target: string, cause: unknown) {
    super(`Storage archive: ${operation} ${target} failed: ${describeAzureError(cause)}`, { cause });
    this.statusCode = azureStatusCode(cause);
  }
}
