import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FuncIgnore } from '../../scripts/package/FuncIgnore';

/**
 * The port of Core Tools' .funcignore reading (GitIgnoreParser + GetLocalFiles), on the cases where it
 * differs from git's — the ones that decide what a `.funcignore` really keeps out of Azure.
 */
describe('FuncIgnore (Core Tools semantics)', () => {
  it('anchors every pattern at the root and matches a prefix of the path', () => {
    const f = new FuncIgnore('test\n/docs\n');
    expect(f.accepts('test/a.js')).toBe(false);
    expect(f.accepts('tests.txt')).toBe(false);
    expect(f.accepts('docs/x.md')).toBe(false);
    expect(f.accepts('dist/test/a.js')).toBe(true); // git would drop this one
  });

  it('lets `*` stop at `/` and never match nothing; `**` crosses folders', () => {
    const f = new FuncIgnore('*.ts\ntsconfig*.json\n');
    expect(f.accepts('main.ts')).toBe(false);
    expect(f.accepts('shared/cli/main.ts')).toBe(true); // git would drop this one
    expect(f.accepts('tsconfig.test.json')).toBe(false);
    expect(f.accepts('tsconfig.json')).toBe(true); // git would drop this one
    expect(new FuncIgnore('**/*.ts').accepts('shared/cli/main.ts')).toBe(false);
  });

  it('re-includes with `!` and reads comments, blank lines and CRLF', () => {
    const f = new FuncIgnore('# comment\r\n\r\nconfig\r\n!config/rules.yaml\r\n');
    expect(f.accepts('config/other.yaml')).toBe(false);
    expect(f.accepts('config/rules.yaml')).toBe(true);
  });

  it('always skips .git/.vscode folders and local settings files at any depth, whatever the file says', () => {
    const f = new FuncIgnore('');
    expect(f.publishes('local.settings.json')).toBe(false);
    expect(f.publishes('sub/LOCAL.SETTINGS.JSON')).toBe(false);
    expect(f.publishes('.funcignore')).toBe(false);
    expect(f.publishes('a/.git/config')).toBe(false);
    expect(f.publishes('.git')).toBe(true); // a worktree's .git is a file: only the project's .funcignore drops it
  });

  it("keeps the project's .funcignore from dropping node_modules or anything the app loads", () => {
    const f = new FuncIgnore(readFileSync('.funcignore', 'utf8'));
    for (const kept of ['host.json', 'package.json', 'package-lock.json', 'config/rules.yaml', 'config/rules.schema.json',
      'dist/functions/auditScan.js', 'dist/shared/scan/runPipeline.js', 'dist/shared/source/sourceWorker.js',
      'node_modules/@azure/functions/package.json', 'node_modules/@azure/functions/dist/azure-functions.js']) {
      expect(f.publishes(kept), kept).toBe(true);
    }
    for (const dropped of ['.git', '.gitignore', '.ci/run', 'tsconfig.json', 'tsconfig.test.json', 'vitest.config.mts',
      'local.settings.json', 'local.settings.example.json', '.env', 'functions/auditScan.ts', 'shared/cli/main.ts',
      'test/functions/auditScan.test.ts', 'dist/test/x.js', 'dist/bench/runBenchmarks.js', 'dist/scripts/package/main.js',
      'dist/functions/auditScan.js.map', 'node_modules/@azure/functions/types/index.d.ts', 'node_modules/.bin/yaml',
      'README.md', 'docs/notifications.md', 'scripts/generate-fixtures.sh', '.package/host.json', 'pgaudit-alerts.zip']) {
      expect(f.publishes(dropped), dropped).toBe(false);
    }
  });
});
