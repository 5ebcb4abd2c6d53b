#!/usr/bin/env node
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { buildPackage } from './buildPackage';

/**
 * `npm run package [-- --out DIR --zip FILE]`: builds the deployment package (see buildPackage) and
 * says how to publish it.
 */
function main(): number {
  const { values } = parseArgs({ options: { out: { type: 'string' }, zip: { type: 'string' } }, strict: true });
  const root = process.cwd();
  const result = buildPackage({
    root,
    ...(values.out !== undefined ? { outDir: values.out } : {}),
    ...(values.zip !== undefined ? { zipPath: values.zip } : {}),
    log: (m) => process.stderr.write(`package: ${m}\n`),
  });
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
  const out = relative(root, result.outDir) || '.';
  const zip = relative(root, result.zipPath);
  process.stdout.write(
    `package: ${out}/ (${result.files.length} files, ${mb(result.bytes)}) and ${zip} (${mb(result.zipBytes)})\n`
    + 'publish one of them (local build: nothing is built in Azure):\n'
    + `  cd ${out} && func azure functionapp publish <app-name>\n`
    + `  az functionapp deployment source config-zip -g <resource-group> -n <app-name> --src ${zip}\n`,
  );
  return 0;
}

try {
  process.exitCode = main();
} catch (err) {
  process.stderr.write(`package: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
