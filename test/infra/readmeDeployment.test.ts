import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PARAMETERS_EXAMPLE_PATH, readTemplate, TEMPLATE_PATH } from './support/armTemplate';

/** README's "Deploying to Azure" must describe this template, not a template that used to exist. */
describe('README deployment section', () => {
  const readme = readFileSync('README.md', 'utf8');
  const section = readme.split(/^## Deploying to Azure$/m)[1]!.split(/^## /m)[0]!;
  const template = readTemplate();

  it('is: parameters, one az deployment group create with this template, npm run package + publish, notify-test', () => {
    expect(section).toContain(`cp ${PARAMETERS_EXAMPLE_PATH} `);
    const commands = section.match(/^az deployment group create .*$/gm) ?? [];
    expect(commands).toHaveLength(1);
    expect(commands[0]).toContain(`--template-file ${TEMPLATE_PATH}`);
    const order = ['### 1. Parameters', '### 2. Deploy', '### 3. Publish the app', '### 4. Check, and done', '### Reference: the manual steps'];
    expect(order.map((h) => section.indexOf(h))).toEqual(order.map((h) => section.indexOf(h)).sort((a, b) => a - b));
    expect(order.every((h) => section.includes(h))).toBe(true);
    expect(section).toContain('npm run package');
    expect(section).toContain('notify-test');
  });

  it('names every parameter that has no default, and every secure parameter', () => {
    const mustName = Object.entries(template.parameters)
      .filter(([, p]) => p.defaultValue === undefined || p.type.toLowerCase() === 'securestring')
      .map(([name]) => name);
    for (const name of mustName) expect(section, name).toContain(`\`${name}\``);
  });

  it('lists the same role ids as the template, and says Node 22', () => {
    const templateRoleIds = Object.entries(template.variables).filter(([n]) => n.startsWith('role')).map(([, id]) => id).sort();
    const readmeRoleIds = [...section.matchAll(/\| `([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})` \|/g)].map((m) => m[1]).sort();
    expect(readmeRoleIds).toEqual(templateRoleIds);
    expect(section).toContain('Node 22');
    expect(section).not.toMatch(/Node 20 Function App/);
  });
});
