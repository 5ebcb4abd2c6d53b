import { z } from 'zod';
import { SEVERITIES } from '../model/Severity';
import { EVENT_FIELDS, LINE_FIELDS, type MatchField } from '../match/MatchBlock';
import type { RuleValue } from '../match/RuleValue';

/**
 * The rules file (`config/rules.yaml`), strict: an unknown key is an error, because a misspelt
 * `excpet:` silently widening a rule is exactly the mistake a security tool must not let through.
 * The JSON Schema shipped for editors (config/rules.schema.json) is generated from this.
 */

const text = z.string().min(1, 'must not be empty');

export const ruleValueSchema: z.ZodType<RuleValue> = z.lazy(() =>
  z.union([
    z.string(),
    z.array(z.string()).min(1, 'a list of values must not be empty'),
    z.strictObject({ list: text }).describe('any entry of a named list (lists: ...)'),
    z.strictObject({ regex: text }).describe('Regular expression run by RE2 (linear time): JavaScript syntax without backreferences or lookarounds; case-insensitive, found anywhere in the value'),
    z
      .strictObject({ mentions: z.union([z.array(text).min(1), z.strictObject({ list: text })]) })
      .describe('the text names one of these objects as a whole identifier, quoted or not'),
    z.strictObject({ not: ruleValueSchema }).describe('true when the value does not match, including when the field is null'),
  ]),
);


const matchShape = Object.fromEntries([...LINE_FIELDS, ...EVENT_FIELDS].map((f) => [f, ruleValueSchema.optional()])) as Record<
  MatchField,
  z.ZodOptional<z.ZodType<RuleValue>>
>;

export const matchSchema = z
  .strictObject(matchShape)
  .refine((m) => Object.values(m).some((v) => v !== undefined), { message: 'needs at least one field to match' });

const auditObjectLike = z.strictObject({ type: z.string().nullable().optional(), name: z.string() });
const auditLineLike = z.strictObject({
  auditType: z.enum(['SESSION', 'OBJECT']).optional(),
  class: z.string(),
  command: z.string(),
  objectType: z.string().nullable().optional(),
  objectName: z.string().nullable().optional(),
});

/** A partial AuditEvent used in `examples:`; what is missing is filled in (see exampleEvent). */
export const eventLikeSchema = z.strictObject({
  server: z.string().nullable().optional(),
  sessionId: z.string().nullable().optional(),
  pid: z.number().int().nullable().optional(),
  time: z.string().nullable().optional(),
  user: z.string().nullable().optional(),
  database: z.string().nullable().optional(),
  application: z.string().nullable().optional(),
  client: z.string().nullable().optional(),
  auditType: z.enum(['SESSION', 'OBJECT']).optional(),
  statementId: z.number().int().optional(),
  substatementId: z.number().int().optional(),
  class: z.string().optional(),
  command: z.string().optional(),
  objects: z.array(auditObjectLike).optional(),
  lines: z.array(auditLineLike).min(1).optional(),
  statement: z.string().nullable().optional(),
  parameters: z.array(z.string().nullable()).nullable().optional(),
  rows: z.number().int().nullable().optional(),
  identity: z.literal('contested').optional(),
  identityReason: z.string().optional(),
  origin: z.literal('foreign-key-check').optional(),
});
export type EventLike = z.infer<typeof eventLikeSchema>;

const NAME_PATTERN = /^[A-Za-z0-9_-]+$/;

export const ruleSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be kebab-case (lower-case letters, digits and single dashes)'),
  title: text.optional(),
  description: z.string().optional(),
  severity: z.enum(SEVERITIES),
  enabled: z.boolean().optional().describe('false turns the rule off without deleting it'),
  match: matchSchema,
  except: z
    .array(z.union([z.string().regex(NAME_PATTERN, 'exception names use letters, digits, _ and -').describe('the name of a shared exception (exceptions: ...)'), matchSchema]))
    .optional(),
  notify: z.array(text).min(1, 'name at least one destination, or leave notify out to use all').optional(),
  falsepositives: z
    .array(text)
    .min(1, 'name at least one benign activity that can fire this rule')
    .describe('benign activity that can fire this rule (required: it tells the reader of an alert what to rule out)'),
  examples: z
    .strictObject({
      lists: z
        .record(z.string(), z.array(z.string()))
        .optional()
        .describe('list contents to assume while running these examples (for lists a user fills in, such as sensitive_tables)'),
      match: z.array(eventLikeSchema).optional(),
      ignore: z.array(eventLikeSchema).optional(),
    })
    .optional(),
});
export type RuleSpec = z.infer<typeof ruleSchema>;

export const destinationSchema = z
  .strictObject({
    slack: z.strictObject({ channel: text.optional() }).optional(),
    email: z.strictObject({ to: z.array(z.email()).min(1).optional() }).optional(),
  })
  .refine((d) => d.slack !== undefined || d.email !== undefined, { message: 'needs slack: or email:' });

/** Names of lists and destinations. */
export const NAME = {
  pattern: NAME_PATTERN,
  listMessage: 'list names use letters, digits, _ and -',
  destinationMessage: 'destination names use letters, digits, _ and -',
  exceptionMessage: 'exception names use letters, digits, _ and -',
} as const;

export const ruleFileSchema = z.strictObject({
  version: z.literal(1),
  lists: z.record(z.string().regex(NAME.pattern, NAME.listMessage), z.array(z.string()).nullable()).optional(),
  destinations: z.record(z.string().regex(NAME.pattern, NAME.destinationMessage), destinationSchema).optional(),
  exceptions: z
    .record(z.string().regex(NAME.pattern, NAME.exceptionMessage), matchSchema)
    .optional()
    .describe('named exceptions, written once and referenced by name in rules\' except: (e.g. platform_accounts)'),
  rules: z.array(ruleSchema),
});
export type RuleFile = z.infer<typeof ruleFileSchema>;
