import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { FuncIgnore } from './FuncIgnore';
import { listPublishedFiles } from './listPublishedFiles';
import { writeZip } from './writeZip';

export interface PackageOptions {
  /** The project: package.json, package-lock.json, tsconfig.json, .funcignore. */
  root: string;
  /** The folder to publish from (replaced): default `<root>/.package`. */
  outDir?: string;
  /** The zip for `az functionapp deployment source config-zip`: default `<root>/pgaudit-alerts.zip`. */
  zipPath?: string;
  log?: (message: string) => void;
}

export interface PackageResult {
  outDir: string;
  zipPath: string;
  /** Every file in the folder and the zip, sorted `/` paths. */
  files: string[];
  bytes: number;
  zipBytes: number;
}

/**
 * Microsoft's recommended local build for a TypeScript function app: compile, install production
 * dependencies only, publish the folder. The result is exactly what Core Tools would upload from a
 * folder holding the compiled app and `npm ci --omit=dev`, `.funcignore` applied as Core Tools applies
 * it: `outDir` (publish it with `func azure functionapp publish`) and the same files as a zip.
 * The build happens in a staging folder: nothing stale in the project's dist/ or its development
 * node_modules can leak into the package.
 */
export function buildPackage(options: PackageOptions): PackageResult {
  const root = resolve(options.root);
  const outDir = resolve(options.outDir ?? join(root, '.package'));
  const zipPath = resolve(options.zipPath ?? join(root, 'pgaudit-alerts.zip'));
  const log = options.log ?? (() => {});
  const ignore = new FuncIgnore(readFileSync(join(root, '.funcignore'), 'utf8'));
  const staging = `${outDir}.staging`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    // What the project contributes as it is (config/, host.json, package*.json): built output and
    // dependencies are made fresh below, and the package's own output is not an input.
    const own = [relative(root, outDir), relative(root, staging), relative(root, zipPath)].filter((p) => p !== '' && !p.startsWith('..'));
    for (const file of listPublishedFiles(root, ignore, ['dist', 'node_modules', ...own])) copyInto(root, staging, file);

    log('compiling TypeScript (tsc -p tsconfig.json) into the staging folder');
    run(process.execPath, [require.resolve('typescript/bin/tsc', { paths: [root] }), '-p', join(root, 'tsconfig.json'), '--outDir', join(staging, 'dist')], root);

    log('installing production dependencies (npm ci --omit=dev)');
    run(npmCommand(), ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], staging);

    // Nothing is built in Azure from this folder: without scripts, a remote build cannot try to run tsc here.
    const manifestPath = join(staging, 'package.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, unknown>;
    delete manifest.scripts;
    writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);

    const files = listPublishedFiles(staging, ignore);
    rmSync(outDir, { recursive: true, force: true });
    mkdirSync(outDir, { recursive: true });
    let bytes = 0;
    for (const file of files) bytes += copyInto(staging, outDir, file);
    mkdirSync(dirname(zipPath), { recursive: true });
    const zipBytes = writeZip(zipPath, outDir, files);
    return { outDir, zipPath, files, bytes, zipBytes };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

function copyInto(from: string, to: string, file: string): number {
  const target = join(to, file);
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(join(from, file), target);
  return statSync(target).size;
}

/** npm on PATH (npm.cmd on Windows). */
function npmCommand(): string {
  return process.platform === 'win32' ? 'npm.cmd' : 'npm';
}

function run(command: string, args: string[], cwd: string): void {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], shell: process.platform === 'win32' });
  const what = `${command} ${args.join(' ')}`;
  if (result.error) throw new Error(`${what}: ${result.error.message}`);
  if (result.status !== 0) {
    const output = `${result.stdout}${result.stderr}`.trim().split('\n').slice(-20).join('\n');
    throw new Error(`${what} failed in ${cwd} (exit ${result.status ?? result.signal}):\n${output}`);
  }
}

