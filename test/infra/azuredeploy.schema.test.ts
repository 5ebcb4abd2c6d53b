import { describe, expect, it } from 'vitest';
import { loadArmValidator } from './support/loadArmValidator';
import { PARAMETERS_EXAMPLE_PATH, readTemplate, resourcesOfType, TEMPLATE_PATH } from './support/armTemplate';

/**
 * The template and its parameters example against the official ARM JSON schemas (offline, strict: unknown
 * property names are errors), with the validator in ../shared/azure-arm-schemas (see its README).
 * The first call compiles the schemas, which takes seconds on a busy machine.
 */
describe('infra/azuredeploy.json against the ARM schemas', () => {
  it('the template is valid', async () => {
    const { validateTemplate, formatResult } = await loadArmValidator();
    const result = validateTemplate(TEMPLATE_PATH);
    expect(result.kind).toBe('template');
    expect(result.errors, formatResult(result)).toEqual([]);
    expect(result.warnings, formatResult(result)).toEqual([]);
    expect(result.valid).toBe(true);
  }, 120_000);

  it('the parameters example is a valid parameters file', async () => {
    const { validateTemplate, formatResult } = await loadArmValidator();
    const result = validateTemplate(PARAMETERS_EXAMPLE_PATH);
    expect(result.kind).toBe('parameters');
    expect(result.errors, formatResult(result)).toEqual([]);
    expect(result.valid).toBe(true);
  }, 120_000);

  it('catches a mistake in this template (the check is not vacuous)', async () => {
    const { validateTemplate } = await loadArmValidator();
    const broken = readTemplate();
    const diagnostic = resourcesOfType(broken, 'Microsoft.Insights/diagnosticSettings')[0]!;
    const { logAnalyticsDestinationType, ...rest } = diagnostic.properties!;
    diagnostic.properties = { ...rest, logAnalyticsDestination: logAnalyticsDestinationType };
    const result = validateTemplate(broken);
    expect(result.valid).toBe(false);
    expect(result.errors.map((e) => e.message).join('\n')).toMatch(/logAnalyticsDestination/);
  }, 120_000);
});
