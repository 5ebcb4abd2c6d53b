/**
 * The app settings that hold credentials. The CLI scrubs their values from its log, and on Azure they are
 * Key Vault references, never plain values (infra/azuredeploy.json, checked by test/infra).
 */
export const SECRET_SETTING_NAMES = ['SLACK_BOT_TOKEN', 'SLACK_WEBHOOK_URL', 'ACS_CONNECTION_STRING', 'AzureWebJobsStorage'] as const;
