import type { Severity } from '../model/Severity';
import type { MatchBlock } from './MatchBlock';

/** A rule as the rules file states it, after validation (rules/ruleFileSchema's RuleSpec is one). */
export interface RuleDefinition {
  id: string;
  title?: string | undefined;
  description?: string | undefined;
  severity: Severity;
  enabled?: boolean | undefined;
  notify?: string[] | undefined;
  match: MatchBlock;
  /** Inline blocks, or names of the file's shared `exceptions:`. */
  except?: (MatchBlock | string)[] | undefined;
}
