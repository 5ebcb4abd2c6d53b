import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The part of ../shared/azure-arm-schemas/validate-arm.d.mts the tests use (that file is outside the repo). */
export interface ArmProblem { pointer: string; message: string }
export interface ArmValidationResult {
  file?: string;
  kind: 'template' | 'parameters' | 'unknown';
  valid: boolean;
  errors: ArmProblem[];
  warnings: ArmProblem[];
}
export interface ArmValidatorModule {
  validateTemplate(input: string | object, options?: { strict?: boolean }): ArmValidationResult;
  formatResult(result: ArmValidationResult): string;
}

const RELATIVE = join('shared', 'azure-arm-schemas', 'validate-arm.mjs');

/**
 * Where the official ARM schemas and their offline validator live: ARM_SCHEMAS_DIR if set, else the
 * first `shared/azure-arm-schemas/` beside the repository or beside one of its parent folders (CI puts a
 * read-only copy at ../shared; a git worktree may sit a level deeper). The repo's own shared/ (product
 * code) is never looked at: the search starts at the repository's parent.
 */
export function findArmValidator(repoRoot: string = process.cwd(), env: Record<string, string | undefined> = process.env): string {
  const tried: string[] = [];
  if (env.ARM_SCHEMAS_DIR) {
    const file = join(resolve(env.ARM_SCHEMAS_DIR), 'validate-arm.mjs');
    if (existsSync(file)) return file;
    throw new Error(`ARM_SCHEMAS_DIR=${env.ARM_SCHEMAS_DIR} holds no validate-arm.mjs`);
  }
  let dir = dirname(resolve(repoRoot));
  for (;;) {
    const file = join(dir, RELATIVE);
    tried.push(file);
    if (existsSync(file)) return file;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error(`the ARM schema validator was not found (tried ${tried.join(', ')}); set ARM_SCHEMAS_DIR to the azure-arm-schemas folder`);
}

export async function loadArmValidator(): Promise<ArmValidatorModule> {
  return (await import(pathToFileURL(findArmValidator()).href)) as ArmValidatorModule;
}
