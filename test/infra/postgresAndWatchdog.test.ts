import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { stateTableNames } from '../../shared/dedupe/stateTableNames';
import { readTemplate, resourcesOfType } from './support/armTemplate';

describe('the PostgreSQL server, the state tables and the watchdog', () => {
  const template = readTemplate();

  it('configures the existing server: pgaudit preloaded and allowed, classes, relation names, connection lines', () => {
    const configs = resourcesOfType(template, 'Microsoft.DBforPostgreSQL/flexibleServers/configurations');
    const parameterName = (resourceName: string): string => /'([^']+)'\)\]$/.exec(resourceName)![1]!;
    const byName = new Map(configs.map((c) => [parameterName(c.name), c] as const));
    expect([...byName.keys()].sort()).toEqual(['azure.extensions', 'log_connections', 'pgaudit.log', 'pgaudit.log_relation', 'shared_preload_libraries']);
    const valueOf = (name: string): string => {
      const v = String(byName.get(name)!.properties!.value);
      const parameter = /^\[parameters\('(\w+)'\)\]$/.exec(v)?.[1];
      return parameter === undefined ? v : String(template.parameters[parameter]!.defaultValue);
    };
    expect(valueOf('shared_preload_libraries').split(',')).toContain('pgaudit');
    expect(valueOf('azure.extensions').split(',')).toContain('PGAUDIT');
    expect(valueOf('pgaudit.log').split(',').sort()).toEqual(['DDL', 'MISC', 'MISC_SET', 'READ', 'ROLE', 'WRITE']);
    expect(valueOf('pgaudit.log_relation')).toBe('on');
    expect(valueOf('log_connections')).toBe('on');
    for (const c of configs) {
      expect(c.name, 'a child of the server named by the parameter').toMatch(/^\[format\('\{0\}\/\{1\}', variables\('postgresServer'\), '/);
      expect(c.condition).toBe("[variables('configurePostgres')]");
    }
    expect(template.variables.postgresServer).toContain("parameters('postgresServerName')");
    expect(template.parameters.postgresServerName!.defaultValue, 'the server must be named on purpose').toBeUndefined();
  });

  it('says that shared_preload_libraries needs a restart', () => {
    const outputs = (template as unknown as { outputs: Record<string, { value: string }> }).outputs;
    expect(outputs.postgresRestartNeeded!.value).toContain('az postgres flexible-server restart');
    expect(readFileSync('README.md', 'utf8')).toMatch(/az postgres flexible-server restart/);
  });

  it('sends PostgreSQLLogs to the workspace the app queries, in resource-specific tables', () => {
    const [diagnostic, ...more] = resourcesOfType(template, 'Microsoft.Insights/diagnosticSettings');
    expect(more).toEqual([]);
    expect(diagnostic!.scope).toBe("[format('Microsoft.DBforPostgreSQL/flexibleServers/{0}', variables('postgresServer'))]");
    expect(diagnostic!.properties).toMatchObject({
      workspaceId: "[variables('workspaceId')]",
      logAnalyticsDestinationType: 'Dedicated',
      logs: [{ category: 'PostgreSQLLogs', enabled: true }],
    });
  });

  it('creates the state tables the code uses', () => {
    const tables = resourcesOfType(template, 'Microsoft.Storage/storageAccounts/tableServices/tables')
      .map((t) => /'(\w+)'\)\]$/.exec(t.name)![1]);
    expect(tables.sort()).toEqual(Object.values(stateTableNames()).sort());
  });

  it('has an outside watchdog: no successful auditScan run in the window mails the action group', () => {
    const functionName = /app\.timer\('(\w+)'/.exec(readFileSync('functions/auditScan.ts', 'utf8'))![1];
    const [rule, ...more] = resourcesOfType(template, 'Microsoft.Insights/scheduledQueryRules');
    expect(more).toEqual([]);
    const p = rule!.properties as {
      scopes: string[]; windowSize: string; enabled: boolean; actions: { actionGroups: string[] };
      criteria: { allOf: { query: string; timeAggregation: string; operator: string; threshold: number }[] };
    };
    expect(p.enabled).toBe(true);
    expect(p.scopes).toEqual(["[variables('appInsightsId')]"]);
    expect(p.criteria.allOf).toHaveLength(1);
    const c = p.criteria.allOf[0]!;
    expect(c.query).toBe(`requests | where name == "${functionName}" and success == true`);
    expect([c.timeAggregation, c.operator, c.threshold]).toEqual(['Count', 'LessThan', 1]);
    expect(p.windowSize).toBe("[parameters('watchdogWindow')]");
    expect(p.actions.actionGroups).toEqual(["[resourceId('Microsoft.Insights/actionGroups', variables('actionGroupName'))]"]);
    const [group] = resourcesOfType(template, 'Microsoft.Insights/actionGroups');
    expect((group!.properties as { emailReceivers: { emailAddress: string }[] }).emailReceivers.map((r) => r.emailAddress)).toEqual(["[parameters('alertEmail')]"]);
    const insights = resourcesOfType(template, 'Microsoft.Insights/components')[0]!;
    expect(insights.properties!.WorkspaceResourceId).toBe("[variables('workspaceId')]");
  });
});
