/** Where the rules file is when AUDIT_RULES_PATH does not say (relative to the app root or the shell's cwd). */
export const DEFAULT_RULES_PATH = 'config/rules.yaml';
