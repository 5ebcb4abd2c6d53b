import { describe, expect, it } from 'vitest';
import { readTemplate, resourcesOfType, variableOf } from './support/armTemplate';

/**
 * Azure built-in role definition ids, as Microsoft documents them (learn.microsoft.com/azure/role-based-access-control/built-in-roles,
 * MicrosoftDocs/azure-docs articles/role-based-access-control/built-in-roles/{analytics,monitor,storage,security}.md:
 * each role's JSON block, "name" = the id). A typo in an id assigns nothing or, worse, another role.
 */
const BUILT_IN_ROLES: Record<string, string> = {
  '73c42c96-874c-492b-b04d-ab87d138a893': 'Log Analytics Reader',
  'b7e6dc6d-f1e8-4753-8033-0f276bb0955b': 'Storage Blob Data Owner',
  '974c5e8b-45b9-4653-ba55-5f855dd0fb88': 'Storage Queue Data Contributor',
  '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3': 'Storage Table Data Contributor',
  '4633458b-17de-408a-b874-0445c86b69e6': 'Key Vault Secrets User',
  '3913510d-42f4-4e42-8a64-420c390055eb': 'Monitoring Metrics Publisher',
  'a638d3c7-ab3a-418d-83e6-5f17a39d4fde': 'Azure Event Hubs Data Receiver',
  '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1': 'Storage Blob Data Reader',
};

/** What the app's identity needs, and where: nothing broader (no Owner/Contributor, no resource-group scope). */
const EXPECTED = [
  'Log Analytics Reader on Microsoft.OperationalInsights/workspaces',
  'Storage Blob Data Owner on Microsoft.Storage/storageAccounts',
  'Storage Queue Data Contributor on Microsoft.Storage/storageAccounts',
  'Storage Table Data Contributor on Microsoft.Storage/storageAccounts',
  'Key Vault Secrets User on Microsoft.KeyVault/vaults',
  'Monitoring Metrics Publisher on Microsoft.Insights/components',
  // Only when their optional resources are deployed (eventHubs, archiveToStorage).
  'Azure Event Hubs Data Receiver on Microsoft.EventHub/namespaces',
  'Storage Blob Data Reader on Microsoft.Storage/storageAccounts',
];

describe('role assignments', () => {
  const template = readTemplate();
  const assignments = resourcesOfType(template, 'Microsoft.Authorization/roleAssignments');

  it('every role is a documented built-in role, given by its id', () => {
    for (const a of assignments) {
      const expression = String(a.properties!.roleDefinitionId);
      expect(expression).toMatch(/^\[subscriptionResourceId\('Microsoft\.Authorization\/roleDefinitions', variables\('\w+'\)\)\]$/);
      const id = variableOf(template, expression)!;
      expect(BUILT_IN_ROLES[id], `${expression} = ${id}`).toBeDefined();
    }
  });

  it('gives the app identity exactly the roles it needs, each on the one resource that needs it', () => {
    const granted = assignments.map((a) => {
      const role = BUILT_IN_ROLES[variableOf(template, String(a.properties!.roleDefinitionId))!];
      const scopeType = /^\[format\('([^']+)\/\{0\}'/.exec(String(a.scope))?.[1];
      return `${role} on ${scopeType}`;
    });
    expect(granted.sort()).toEqual([...EXPECTED].sort());
  });

  it('assigns to the user-assigned identity as a service principal, with a stable name per scope, identity and role', () => {
    for (const a of assignments) {
      expect(a.properties!.principalId).toBe("[reference(variables('identityId'), '2024-11-30').principalId]");
      expect(a.properties!.principalType).toBe('ServicePrincipal');
      const roleVariable = /variables\('(\w+)'\)\)\]$/.exec(String(a.properties!.roleDefinitionId))![1];
      expect(a.name).toMatch(new RegExp(`^\\[guid\\(variables\\('\\w+'\\), variables\\('identityId'\\), variables\\('${roleVariable}'\\)\\)\\]$`));
    }
  });

  it('the variable names say which role they hold', () => {
    for (const [name, value] of Object.entries(template.variables).filter(([n]) => n.startsWith('role'))) {
      const role = BUILT_IN_ROLES[value];
      expect(role, name).toBeDefined();
      expect(name).toBe(`role${role!.replace(/ /g, '')}`);
    }
  });
});
