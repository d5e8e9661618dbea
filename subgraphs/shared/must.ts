/**
 * The value where the code's own invariants say it exists: a row this request has just written, a
 * region every stored id names, an account every paying step carries. When it is missing anyway,
 * that is a bug, not a caller's mistake: fail here, loudly and saying which promise broke, rather
 * than with an undefined read further on. The error is no DomainError, so a client sees only
 * SERVICE_UNAVAILABLE (errors.ts, maskError) and the log keeps `why`.
 */
export function must<T>(value: T | null | undefined, why: string): T {
  if (value === null || value === undefined) throw new Error(`Invariant broken: ${why}`);
  return value;
}
