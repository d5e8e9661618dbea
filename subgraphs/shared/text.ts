import { fail, type Outcome, SharedError } from './errors';

/**
 * Free text as it enters the system (DESIGN.md, second round): no control characters anywhere and a
 * bound on every field. The gateway applies these rules to every String and ID argument of every
 * operation before any subgraph is asked; the services apply the same rules to the fields they
 * store, so there is one rule per field name wherever it is checked.
 */
export interface TextRule {
  /** In characters (Unicode code points, as MySQL's VARCHAR counts them), not UTF-16 units. */
  maxChars: number;
  /** Characters beyond the control characters that the field refuses. */
  allowed?: { pattern: RegExp; zh: string; en: string };
}

/**
 * The first control character of `value` (its code), or undefined: U+0000–U+001F and U+007F, since
 * line breaks, NUL and terminal escapes have no place in a name, key or note. Other code points,
 * U+0080–U+009F included, are text (DESIGN.md). Each is one UTF-16 unit, never part of a surrogate pair.
 */
function firstControlCharacter(value: string): number | undefined {
  for (let index = 0; index < value.length; index += 1) {
    const code = value.charCodeAt(index);
    if (code <= 0x1f || code === 0x7f) return code;
  }
  return undefined;
}

/** Free text and every message of the error catalogues keep this rule. */
export function hasControlCharacter(text: string): boolean {
  return firstControlCharacter(text) !== undefined;
}

/** Names of persons: `name` and any `…Name` (a relative named at request time). */
const NAME_RULE: TextRule = { maxChars: 50 };

/** Bounds by field name; any other field gets the default of its GraphQL type. */
export const TEXT_RULES: Readonly<Record<string, TextRule>> = {
  memo: { maxChars: 200 },
  note: { maxChars: 500 },
  /** Kept with an admin refund (refund_reason VARCHAR(200)). */
  reason: { maxChars: 200 },
  /** Each reference to a document (户口簿, 出生证明): the list's length is the binding rule's business. */
  evidence: { maxChars: 200 },
  /** An institution's transaction number or a client's retry key: stored in UNIQUE columns and echoed back. */
  idempotencyKey: {
    maxChars: 128,
    allowed: { pattern: /^[\x21-\x7e]*$/, zh: '只能包含可见 ASCII 字符', en: 'may contain visible ASCII characters only' },
  },
  institutionId: { maxChars: 64 },
  productCode: { maxChars: 64 },
  partnerCode: { maxChars: 32 },
  /** A credential token is `<region>.<43 characters>`. */
  token: { maxChars: 64 },
  /** 18 characters, with room for the spaces the resident-id rule trims. */
  idNumber: { maxChars: 32 },
};

/** Ids are `<region>-<ULID>` (33 characters); other strings (cursors, dates, codes) are short too. */
export const DEFAULT_TEXT_RULES: Readonly<Record<'ID' | 'String', TextRule>> = { ID: { maxChars: 64 }, String: { maxChars: 200 } };

/** The field a path names: `input.evidence[1]` → `evidence`. */
function fieldOf(path: string): string {
  return (
    path
      .replace(/\[\d+\]/g, '')
      .split('.')
      .pop() ?? path
  );
}

export function ruleFor(field: string, type: 'ID' | 'String' = 'String'): TextRule {
  return TEXT_RULES[field] ?? (field === 'name' || field.endsWith('Name') ? NAME_RULE : DEFAULT_TEXT_RULES[type]);
}

/** True when `value` has more than `max` code points; stops counting at max + 1, so a megabyte costs no more than the bound. */
function longerThan(value: string, max: number): boolean {
  if (value.length <= max) return false;
  let count = 0;
  for (const _character of value) if (++count > max) return true;
  return false;
}

/** What is wrong with `value` at `path` (e.g. `input.name`): a BAD_USER_INPUT naming the path, or null. Pure. */
export function textProblem(path: string, value: string, type: 'ID' | 'String' = 'String'): Outcome | null {
  const rule = ruleFor(fieldOf(path), type);
  const control = firstControlCharacter(value);
  if (control !== undefined) return SharedError.textControlCharacter(path, `U+${control.toString(16).toUpperCase().padStart(4, '0')}`);
  if (longerThan(value, rule.maxChars)) return SharedError.textTooLong(path, rule.maxChars);
  if (rule.allowed && !rule.allowed.pattern.test(value)) return SharedError.textNotAllowed(path, rule.allowed);
  return null;
}

/** The same rule inside a service. */
export function checkText(path: string, value: string, type: 'ID' | 'String' = 'String'): void {
  const problem = textProblem(path, value, type);
  if (problem) fail(problem);
}

/** An idempotency key: the text rule, and not empty. */
export function checkIdempotencyKey(path: string, key: string): void {
  if (key.length === 0) fail(SharedError.keyEmpty(path));
  checkText(path, key);
}
