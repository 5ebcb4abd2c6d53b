import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findArmValidator } from './support/loadArmValidator';

describe('findArmValidator (where CI and worktrees keep ../shared)', () => {
  const root = mkdtempSync(join(tmpdir(), 'arm-validator-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const validatorIn = (dir: string): string => {
    mkdirSync(join(dir, 'azure-arm-schemas'), { recursive: true });
    writeFileSync(join(dir, 'azure-arm-schemas', 'validate-arm.mjs'), '');
    return join(dir, 'azure-arm-schemas', 'validate-arm.mjs');
  };

  it('finds shared/ beside the repository, never the repository\'s own shared/ (product code)', () => {
    const repo = join(root, 'ci', 'repo');
    validatorIn(join(repo, 'shared'));
    const beside = validatorIn(join(root, 'ci', 'shared'));
    expect(findArmValidator(repo, {})).toBe(beside);
  });

  it('finds shared/ beside a parent folder (a worktree one level deeper)', () => {
    const beside = validatorIn(join(root, 'work', 'shared'));
    expect(findArmValidator(join(root, 'work', 'wt', 'infra'), {})).toBe(beside);
  });

  it('takes ARM_SCHEMAS_DIR first, and names what it tried when there is nothing', () => {
    const explicit = validatorIn(join(root, 'elsewhere'));
    expect(findArmValidator(join(root, 'work', 'wt', 'infra'), { ARM_SCHEMAS_DIR: join(root, 'elsewhere', 'azure-arm-schemas') })).toBe(explicit);
    expect(() => findArmValidator(join(root, 'work', 'wt', 'infra'), { ARM_SCHEMAS_DIR: join(root, 'nowhere') })).toThrow(/ARM_SCHEMAS_DIR=.*nowhere.*no validate-arm\.mjs/);
    const lonely = join(root, 'lonely', 'repo');
    expect(() => findArmValidator(lonely, {})).toThrow(new RegExp(`not found \\(tried ${join(root, 'lonely', 'shared')}`));
  });
});
