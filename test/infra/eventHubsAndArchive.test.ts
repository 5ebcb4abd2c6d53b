import { describe, expect, it } from 'vitest';
import { appSettings, readTemplate, resourcesOfType } from './support/armTemplate';

/**
 * The optional destinations of the diagnostic setting: an Event Hubs namespace and hub (the Event Hubs
 * function's source) and a Storage archive. Both are off by default, and everything they add is
 * conditional on its parameter, so a default deployment is what it was.
 */
describe('optional Event Hubs and Storage destinations', () => {
  const template = readTemplate();
  const settings = appSettings(template);
  const value = (name: string) => settings.find((s) => s.name === name)?.value;

  it('are off by default', () => {
    expect(template.parameters.eventHubs).toMatchObject({ type: 'bool', defaultValue: false });
    expect(template.parameters.archiveToStorage).toMatchObject({ type: 'bool', defaultValue: false });
  });

  it('deploys every resource they add only when asked', () => {
    const eventHubs = template.resources.filter((r) => r.type.startsWith('Microsoft.EventHub/') || String(r.scope).startsWith("[format('Microsoft.EventHub/"));
    expect(eventHubs.map((r) => r.type).sort()).toEqual([
      'Microsoft.Authorization/roleAssignments', 'Microsoft.EventHub/namespaces', 'Microsoft.EventHub/namespaces/authorizationRules',
      'Microsoft.EventHub/namespaces/eventhubs', 'Microsoft.EventHub/namespaces/eventhubs/consumergroups',
    ]);
    for (const r of eventHubs) expect(r.condition, r.type).toBe("[parameters('eventHubs')]");
    const archive = template.resources.filter((r) => r.name.includes("variables('archiveStorage") || String(r.scope).includes("variables('archiveStorageAccountName')"));
    expect(archive.map((r) => r.type).sort()).toEqual(['Microsoft.Authorization/roleAssignments', 'Microsoft.Storage/storageAccounts']);
    for (const r of archive) expect(r.condition, r.type).toBe("[parameters('archiveToStorage')]");
    expect(value('ARCHIVE_STORAGE_ACCOUNT')).toBe("[if(parameters('archiveToStorage'), variables('archiveStorageAccountName'), '')]");
    const [account] = resourcesOfType(template, 'Microsoft.Storage/storageAccounts').filter((r) => r.condition);
    expect(account!.properties).toMatchObject({ allowSharedKeyAccess: false, allowBlobPublicAccess: false, minimumTlsVersion: 'TLS1_2' });
  });

  it('adds each destination to the one diagnostic setting only under its parameter', () => {
    const [diagnostic] = resourcesOfType(template, 'Microsoft.Insights/diagnosticSettings');
    expect(diagnostic!.properties).toMatchObject({
      eventHubAuthorizationRuleId: "[if(parameters('eventHubs'), resourceId('Microsoft.EventHub/namespaces/authorizationRules', variables('eventHubNamespaceName'), variables('eventHubDiagnosticsRule')), null())]",
      eventHubName: "[if(parameters('eventHubs'), variables('eventHubName'), null())]",
      storageAccountId: "[if(parameters('archiveToStorage'), variables('archiveStorageId'), null())]",
      workspaceId: "[variables('workspaceId')]",
    });
    const [rule] = resourcesOfType(template, 'Microsoft.EventHub/namespaces/authorizationRules');
    expect((rule!.properties as { rights: string[] }).rights.sort()).toEqual(['Listen', 'Manage', 'Send']);
  });

  it('registers the Event Hubs function only with eventHubs, reading with the app identity in its own consumer group', () => {
    expect(value('EVENTHUB_NAME')).toBe("[if(parameters('eventHubs'), variables('eventHubName'), '')]");
    expect(value('EVENTHUB_CONSUMER_GROUP')).toBe("[variables('eventHubConsumerGroup')]");
    expect(template.variables.eventHubConsumerGroup).not.toBe('$Default');
    expect(value('PGAUDIT_EVENTHUB__fullyQualifiedNamespace')).toMatch(/^\[if\(parameters\('eventHubs'\), .*serviceBusEndpoint.*, ''\)\]$/);
    expect(value('PGAUDIT_EVENTHUB__credential')).toBe('managedidentity');
    expect(value('PGAUDIT_EVENTHUB__clientId')).toBe("[reference(variables('identityId'), '2024-11-30').clientId]");
    expect(value('PGAUDIT_EVENTHUB')).toBeUndefined();
    const [hub] = resourcesOfType(template, 'Microsoft.EventHub/namespaces/eventhubs');
    expect(hub!.name).toBe("[format('{0}/{1}', variables('eventHubNamespaceName'), variables('eventHubName'))]");
  });
});
