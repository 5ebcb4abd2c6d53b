import { readFileSync } from 'node:fs';

export interface ArmResource {
  type: string;
  apiVersion: string;
  name: string;
  condition?: string;
  scope?: string;
  properties?: Record<string, unknown>;
  dependsOn?: string[];
  [key: string]: unknown;
}
export interface ArmParameter { type: string; defaultValue?: unknown; allowedValues?: unknown[] }
export interface ArmTemplate {
  parameters: Record<string, ArmParameter>;
  variables: Record<string, string>;
  resources: ArmResource[];
}
export interface AppSetting { name: string; value: string }

export const TEMPLATE_PATH = 'infra/azuredeploy.json';
export const PARAMETERS_EXAMPLE_PATH = 'infra/azuredeploy.parameters.example.json';

export function readTemplate(path = TEMPLATE_PATH): ArmTemplate {
  return JSON.parse(readFileSync(path, 'utf8')) as ArmTemplate;
}

export function resourcesOfType(template: ArmTemplate, type: string): ArmResource[] {
  return template.resources.filter((r) => r.type.toLowerCase() === type.toLowerCase());
}

/** The one function app's siteConfig.appSettings (a literal array, so it can be read without evaluating ARM). */
export function appSettings(template: ArmTemplate): AppSetting[] {
  const sites = resourcesOfType(template, 'Microsoft.Web/sites');
  if (sites.length !== 1) throw new Error(`expected one Microsoft.Web/sites, found ${sites.length}`);
  const siteConfig = sites[0]!.properties?.siteConfig as { appSettings?: unknown } | undefined;
  if (!Array.isArray(siteConfig?.appSettings)) throw new Error('the function app has no literal siteConfig.appSettings array');
  return siteConfig.appSettings as AppSetting[];
}

/** `variables('x')` inside an expression → the variable's literal text (one level, enough for ids and names). */
export function variableOf(template: ArmTemplate, expression: string): string | undefined {
  const name = /variables\('([^']+)'\)/.exec(expression)?.[1];
  return name === undefined ? undefined : template.variables[name];
}
