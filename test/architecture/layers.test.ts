import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The layer order of docs/architecture.md: a file may import from its own layer or a lower one, never
 * from a higher one. A lower layer that needs something from above takes it as an argument.
 */
const LAYERS: readonly (readonly string[])[] = [
  ['model', 'errors', 'util'],
  ['redact'],
  ['source', 'logAnalytics'],
  ['parse'],
  ['merge'],
  ['match'],
  ['rules'],
  ['dedupe'],
  ['notify'],
  ['deliver'],
  ['settings'],
  ['scan'],
  ['cli', 'functions'],
];

/**
 * Integrations inside notify/: each may use notify/'s shared parts (notify/message/ and the files at
 * notify/'s root), never another integration; text/ is the plain-text rendering that email includes as
 * its text part, so email may use it.
 */
const NOTIFY_INTEGRATIONS = ['slack', 'email', 'text'];
const MAY_USE: Record<string, string[]> = { email: ['text'] };

const ROOT = resolve(__dirname, '../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every module specifier: `import ... from`, `export ... from`, side-effect imports, `import()` and `require()`. */
export function importsOf(text: string): string[] {
  const found: string[] = [];
  const patterns = [/\b(?:import|export)\s[^'"]*?\bfrom\s*['"]([^'"]+)['"]/g, /\bimport\s*['"]([^'"]+)['"]/g, /\b(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/g];
  for (const pattern of patterns) for (const m of text.matchAll(pattern)) found.push(m[1]!);
  return found;
}

/** `shared/notify/slack/x.ts` → `notify`, `functions/auditScan.ts` → `functions`. */
function folderOf(file: string): string[] {
  const parts = relative(ROOT, file).split(/[\\/]/);
  return parts[0] === 'shared' ? parts.slice(1, -1) : [parts[0]!];
}

function rankOf(folder: string): number {
  const rank = LAYERS.findIndex((layer) => layer.includes(folder));
  if (rank < 0) throw new Error(`folder ${folder} is in no layer: add it to docs/architecture.md and to LAYERS here`);
  return rank;
}

function violations(): string[] {
  const out: string[] = [];
  const files = [...sourceFiles(join(ROOT, 'shared')), ...sourceFiles(join(ROOT, 'functions'))];
  for (const file of files) {
    const from = folderOf(file);
    for (const specifier of importsOf(readFileSync(file, 'utf8'))) {
      if (!specifier.startsWith('.')) continue;
      const target = resolve(dirname(file), specifier);
      const to = folderOf(`${target}.ts`);
      const name = `${relative(ROOT, file)} imports '${specifier}'`;
      if (rankOf(to[0]!) > rankOf(from[0]!)) out.push(`${name}: ${to[0]} is above ${from[0]}`);
      if (from[0] === 'notify' && to[0] === 'notify') {
        const a = NOTIFY_INTEGRATIONS.includes(from[1] ?? '') ? from[1] : null;
        const b = NOTIFY_INTEGRATIONS.includes(to[1] ?? '') ? to[1] : null;
        if (a !== null && b !== null && a !== b && !(MAY_USE[a!] ?? []).includes(b!)) out.push(`${name}: notify/${a} may not use notify/${b}`);
      }
    }
  }
  return out;
}

describe('layers', () => {
  it('no file in shared/ or functions/ imports from a layer above its own', () => {
    expect(violations()).toEqual([]);
  });

  it('reads every form of import', () => {
    const text = [
      "import { a } from '../a';",
      "import type { B } from \"../b\";",
      "export { c } from './c';",
      "import '../d';",
      "const e = require('../e');",
      "const f = await import('../f');",
      'import {\n  g,\n  h,\n} from "../g";',
    ].join('\n');
    expect(importsOf(text).sort()).toEqual(['../a', '../b', '../d', '../e', '../f', '../g', './c']);
  });

  it('knows every folder of shared/', () => {
    const folders = readdirSync(join(ROOT, 'shared'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    for (const folder of folders) expect(() => rankOf(folder)).not.toThrow();
  });
});
