/** A match value as written in the rules file (see docs/formats.md, "Rules file"). */
export type RuleValue =
  | string
  | string[]
  | { list: string }
  | { regex: string }
  | { mentions: string[] | { list: string } }
  | { not: RuleValue };

/** Tests one field of an event; `null` means the field is unknown. */
export type ValueMatcher = (value: string | null) => boolean;
