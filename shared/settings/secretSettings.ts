import type { Settings } from './Settings';

/** The settings that hold credentials: environment name → the Settings field that carries it. */
export const SECRET_SETTINGS = {
  SLACK_BOT_TOKEN: 'slackBotToken',
  SLACK_WEBHOOK_URL: 'slackWebhookUrl',
  ACS_CONNECTION_STRING: 'acsConnectionString',
  AzureWebJobsStorage: 'storageConnectionString',
  PGAUDIT_EVENTHUB: 'eventHubConnectionString',
  ARCHIVE_STORAGE_CONNECTION: 'archiveStorageConnection',
  OPENSEARCH_PASSWORD: 'openSearchPassword',
} as const satisfies Record<string, keyof Settings>;

/**
 * Other variables whose names say they hold a credential: a PostgreSQL password, another connection
 * string, the App Service identity endpoint's header secret, API keys. (Not `PWD`: that is the shell's
 * working directory.)
 */
const SECRET_NAME = /PASSWORD|PASSWD|SECRET|TOKEN|CONNECTION_?STRING|ACCOUNT_?KEY|ACCESS_?KEY|API_?KEY|_KEY$|IDENTITY_HEADER/i;

/** Every secret in an environment (app settings on Azure, the shell's environment for the CLI). */
export function secretsInEnv(env: Record<string, string | undefined>): string[] {
  return Object.entries(env)
    .filter(([name, value]) => value !== undefined && value !== '' && (name in SECRET_SETTINGS || SECRET_NAME.test(name)))
    .map(([, value]) => value!);
}

/** The secrets of loaded settings (when only the settings, not the environment, are at hand). */
export function secretsInSettings(settings: Pick<Settings, (typeof SECRET_SETTINGS)[keyof typeof SECRET_SETTINGS]>): string[] {
  return Object.values(SECRET_SETTINGS).map((key) => settings[key]).filter((v): v is string => typeof v === 'string' && v !== '');
}
