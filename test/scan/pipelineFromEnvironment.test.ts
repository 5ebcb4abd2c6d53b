import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pipelineFromEnvironment } from '../../shared/scan/pipelineFromEnvironment';
import type { LogSource } from '../../shared/source/LogSource';
import type { Logger } from '../../shared/util/Logger';

/** Two sources of one tick: only their identity matters here (the rules are loaded before a source is read). */
const source = (name: string): LogSource => ({
  name, description: name, scope: name,
  read: () => Promise.reject(new Error('not read in this test')),
  commit: () => Promise.resolve(),
});

/** The state store is made (not reached: nothing here reads or writes it). */
const ENV = { AzureWebJobsStorage: 'UseDevelopmentStorage=true' };

const recordingLogger = (): Logger & { warnings: string[] } => {
  const warnings: string[] = [];
  return { warnings, info() {}, warn: (m) => void warnings.push(m), error() {} };
};

/** The one wiring from app settings: what each run of one pipeline (a timer tick, an Event Hubs instance) shares. */
describe('pipelineFromEnvironment', () => {
  it('loads the rules once for all the sources of a tick, and logs their warnings once', async () => {
    const log = recordingLogger();
    const pipeline = pipelineFromEnvironment(ENV, log, { cwd: process.cwd() });
    const first = await pipeline.depsFor(source('log-analytics')).loadRules();
    const second = await pipeline.depsFor(source('storage')).loadRules();
    expect(second).toBe(first);
    expect(first.rules.length).toBeGreaterThan(0);
    expect(log.warnings.filter((m) => /rule "sensitive-table-read" .*list "sensitive_tables" is empty/.test(m))).toHaveLength(1);
    // The pipeline does not repeat them on each source's run.
    expect(first.warnings).toEqual([]);
  });

  it('fails every run while the rules file is broken, and reads it again once fixed', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'pgaudit-wiring-')), 'rules.yaml');
    writeFileSync(file, 'rules: [\n');
    const pipeline = pipelineFromEnvironment(ENV, recordingLogger(), { rulesFile: file });
    await expect(pipeline.depsFor(source('log-analytics')).loadRules()).rejects.toThrow(/rules\.yaml/);
    await expect(pipeline.depsFor(source('storage')).loadRules()).rejects.toThrow(/rules\.yaml/);
    copyFileSync('config/rules.yaml', file);
    await expect(pipeline.ruleSet()).resolves.toMatchObject({ rules: expect.arrayContaining([expect.objectContaining({ enabled: true })]) });
  });
});
