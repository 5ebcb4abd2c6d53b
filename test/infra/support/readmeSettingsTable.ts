import { readFileSync } from 'node:fs';

/** Setting names in the first column of README.md's settings table (`| \`A\`, \`B\` | meaning | default |`). */
export function readmeSettingNames(readme: string = readFileSync('README.md', 'utf8')): string[] {
  const section = readme.split(/^## Settings$/m)[1]?.split(/^## /m)[0];
  if (section === undefined) throw new Error('README.md has no "## Settings" section');
  return [...section.matchAll(/^\| `([A-Za-z_]+)`(?:, `([A-Za-z_]+)`)?(?:, `([A-Za-z_]+)`)? \|/gm)].flatMap((m) => m.slice(1).filter((n): n is string => Boolean(n)));
}
