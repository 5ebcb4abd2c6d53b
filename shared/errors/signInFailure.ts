/** The @azure/identity errors that mean "could not sign in", recognised by name anywhere in a cause chain. */
const SIGN_IN_ERRORS = new Set(['CredentialUnavailableError', 'AuthenticationError', 'AggregateAuthenticationError', 'AuthenticationRequiredError']);

/**
 * One line for an Azure sign-in failure, saying what to do, instead of the credential chain's
 * several-line dump; null when `err` is not one. It looks through `cause` chains, so a query or
 * storage error caused by a failed sign-in is recognised too.
 */
export function signInFailure(err: unknown): string | null {
  const seen = new Set<unknown>();
  for (let e: unknown = err; e instanceof Error && !seen.has(e); e = e.cause) {
    seen.add(e);
    if (!SIGN_IN_ERRORS.has(e.name)) continue;
    const unavailable = e.name !== 'AuthenticationError';
    // AuthenticationError keeps Entra's own explanation apart from its multi-line message.
    const explained = (e as { errorResponse?: { error?: string; errorDescription?: string } }).errorResponse;
    const reason = explained?.errorDescription ? `${explained.error ?? 'error'}: ${firstLine(explained.errorDescription)}` : firstLine(e.message);
    return (unavailable ? 'Azure sign-in failed: no Azure credential is available. ' : `Azure sign-in failed: the token request was refused (${reason}). `)
      + 'On your machine run `az login` (and `az account set --subscription <id>`); on Azure give the function app a managed identity '
      + '(a user-assigned one also needs AZURE_CLIENT_ID, and AzureWebJobsStorage__credential=managedidentity with AzureWebJobsStorage__clientId).';
  }
  return null;
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.replace(/\s+/g, ' ').trim().slice(0, 300);
}
