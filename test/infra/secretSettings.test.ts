import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SECRET_SETTINGS } from '../../shared/settings/secretSettings';
import { appSettings, PARAMETERS_EXAMPLE_PATH, readTemplate, resourcesOfType } from './support/armTemplate';

/** `[if(empty(parameters('p')), '', format('@Microsoft.KeyVault(SecretUri={0}secrets/{1})', <vault uri>, variables('s')))]` */
const KEY_VAULT_REFERENCE =
  /^\[if\(empty\(parameters\('(\w+)'\)\), '', format\('@Microsoft\.KeyVault\(SecretUri=\{0\}secrets\/\{1\}\)', reference\(variables\('keyVaultId'\), '[\d-]+'\)\.vaultUri, variables\('(\w+)'\)\)\)\]$/;

describe('secrets in the template', () => {
  const template = readTemplate();
  const settings = appSettings(template);
  const secretParameters = Object.entries(template.parameters).filter(([, p]) => p.type.toLowerCase() === 'securestring').map(([name]) => name);

  it('every secret setting the app gets is a Key Vault reference to a secret the template stores', () => {
    const secretSettings = settings.filter((s) => s.name in SECRET_SETTINGS);
    expect(secretSettings.map((s) => s.name).sort()).toEqual(['ACS_CONNECTION_STRING', 'SLACK_BOT_TOKEN', 'SLACK_WEBHOOK_URL']);
    const secrets = resourcesOfType(template, 'Microsoft.KeyVault/vaults/secrets');
    for (const setting of secretSettings) {
      const match = KEY_VAULT_REFERENCE.exec(setting.value);
      expect(match, `${setting.name} = ${setting.value}`).not.toBeNull();
      const [, parameter, secretVariable] = match!;
      expect(secretParameters, `${setting.name}: parameter ${parameter}`).toContain(parameter);
      const secret = secrets.find((r) => r.name === `[format('{0}/{1}', variables('keyVaultName'), variables('${secretVariable}'))]`);
      expect(secret, `${setting.name}: Key Vault secret ${secretVariable}`).toBeDefined();
      expect(secret!.properties!.value).toBe(`[parameters('${parameter}')]`);
      expect(secret!.condition).toBe(`[not(empty(parameters('${parameter}')))]`);
    }
  });

  it('no secure parameter reaches an app setting, an output or a resource other than its Key Vault secret', () => {
    for (const parameter of secretParameters) {
      const uses = JSON.stringify(template.resources.filter((r) => r.type !== 'Microsoft.KeyVault/vaults/secrets'))
        .split(`parameters('${parameter}')`).length - 1;
      const emptinessChecks = settings.filter((s) => s.value.startsWith(`[if(empty(parameters('${parameter}'))`)).length;
      expect(uses, parameter).toBe(emptinessChecks);
      expect(JSON.stringify((template as unknown as { outputs: unknown }).outputs), parameter).not.toContain(parameter);
    }
  });

  it('the app resolves the references with its user-assigned identity, on a vault in RBAC mode', () => {
    const site = resourcesOfType(template, 'Microsoft.Web/sites')[0]!;
    expect(site.properties!.keyVaultReferenceIdentity).toBe("[variables('identityId')]");
    const vault = resourcesOfType(template, 'Microsoft.KeyVault/vaults')[0]!;
    expect(vault.properties!.enableRbacAuthorization).toBe(true);
    expect(vault.properties!.accessPolicies).toBeUndefined();
  });

  it('storage and telemetry accept no keys, so there is no key to leak', () => {
    const storage = resourcesOfType(template, 'Microsoft.Storage/storageAccounts')[0]!;
    expect(storage.properties!.allowSharedKeyAccess).toBe(false);
    const insights = resourcesOfType(template, 'Microsoft.Insights/components')[0]!;
    expect(insights.properties!.DisableLocalAuth).toBe(true);
  });

  it('the parameters example names only template parameters, gives every required one, and holds no secret', () => {
    const example = (JSON.parse(readFileSync(PARAMETERS_EXAMPLE_PATH, 'utf8')) as { parameters: Record<string, unknown> }).parameters;
    expect(Object.keys(example).filter((n) => !(n in template.parameters))).toEqual([]);
    const required = Object.entries(template.parameters).filter(([, p]) => p.defaultValue === undefined).map(([n]) => n);
    expect(required.filter((n) => !(n in example))).toEqual([]);
    expect(Object.keys(example).filter((n) => secretParameters.includes(n))).toEqual([]);
  });
});
