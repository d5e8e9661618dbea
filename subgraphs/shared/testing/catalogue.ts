import { type Catalogue, isKnownCode, type Outcome, SharedError } from '../errors';
import { hasControlCharacter } from '../text';

/**
 * Support for the catalogue tests (`errors.test.ts` beside each catalogue): every outcome as a
 * client reads it, and the rules every one of them keeps.
 */

/**
 * Values to build each factory's outcome with. Its type asks for every factory of the catalogue, so
 * an outcome added without values does not type-check.
 */
export type Samples<C extends Catalogue> = {
  [K in keyof C as C[K] extends (...values: never[]) => Outcome ? K : never]: C[K] extends (...values: infer V) => Outcome ? V : never;
};

/** Every outcome of a catalogue by name: fixed ones as written, factories built from their samples. */
export function outcomesOf<C extends Catalogue>(catalogue: C, samples: Samples<C>): Array<[string, Outcome]> {
  const valuesOf = samples as Readonly<Record<string, readonly unknown[]>>;
  return Object.entries(catalogue).map(([name, entry]) => [
    name,
    typeof entry === 'function' ? (entry as (...values: readonly unknown[]) => Outcome)(...valuesOf[name]) : entry,
  ]);
}

const HAN = /\p{Script=Han}/u;
const LATIN = /[A-Za-z]/;
/** What separates the two halves of a message (messageOf); a half that contained it could not be told apart. */
const SEPARATOR = ' / ';

/** The rules an outcome breaks as a client reads it; none for a good one. Pure. */
export function outcomeProblems({ code, zh, en }: Outcome): string[] {
  const problems: string[] = [];
  if (!isKnownCode(code)) problems.push(`unknown code ${String(code)}`);
  for (const [half, text] of [
    ['zh', zh],
    ['en', en],
  ] as const) {
    if (text.trim() !== text || text.length === 0) problems.push(`${half} is empty or padded`);
    if (hasControlCharacter(text)) problems.push(`${half} has a control character`);
    if (text.includes(SEPARATOR)) problems.push(`${half} contains "${SEPARATOR}"`);
  }
  if (!HAN.test(zh)) problems.push('zh has no Chinese');
  if (!LATIN.test(en)) problems.push('en has no English');
  return problems;
}

/** The outcomes, by name, whose message another one of `outcomes` already says word for word. */
export function repeatedMessages(outcomes: ReadonlyArray<[string, Outcome]>): string[] {
  const firstByMessage = new Map<string, string>();
  return outcomes.flatMap(([name, { zh, en }]) => {
    const message = `${zh}${SEPARATOR}${en}`;
    const first = firstByMessage.get(message);
    if (first === undefined) firstByMessage.set(message, name);
    return first === undefined ? [] : [`${name} repeats ${first}`];
  });
}

export const SHARED_SAMPLES: Samples<typeof SharedError> = {
  databaseUnavailable: ['43'],
  noBackend: ['99'],
  bodyTooLarge: [1_048_576],
  internalRequestInvalid: ['ids.0', 'Invalid input'],
  roleMayNot: ['ANALYST'],
  adminLimitedTo: ['350100'],
  unknownRegion: ['999999'],
  pageSizeOutOfRange: [100],
  moneyMalformed: ['12.345'],
  amountNegative: ['input.amount'],
  amountOverLimit: ['input.amount', { zh: '单笔金额', en: 'a single credit or payment' }, '1000000000.00'],
  textControlCharacter: ['input.name', 'U+0000'],
  textTooLong: ['input.name', 50],
  textNotAllowed: ['input.idempotencyKey', { zh: '只能包含可见 ASCII 字符', en: 'may contain visible ASCII characters only' }],
  keyEmpty: ['input.idempotencyKey'],
};

/**
 * What is wrong with a catalogue, by outcome name; nothing for a good one: every outcome keeps the
 * rules, and none says word for word what another says, in it or in SharedError (checked beside it).
 */
export function catalogueProblems<C extends Catalogue>(catalogue: C, samples: Samples<C>): string[] {
  const outcomes = outcomesOf(catalogue, samples);
  const beside = catalogue === (SharedError as Catalogue) ? [] : outcomesOf(SharedError, SHARED_SAMPLES);
  return [
    ...outcomes.flatMap(([name, outcome]) => outcomeProblems(outcome).map((problem) => `${name}: ${problem}`)),
    ...repeatedMessages([...beside, ...outcomes]),
  ];
}
