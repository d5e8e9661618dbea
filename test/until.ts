import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Waits for another process to do something (a sweeper to run, a restarted service to answer, a
 * policy version's instant to pass): asks `condition` again every `pauseMs` until it answers
 * something other than undefined or false, and fails after `timeoutMs` naming what it waited for.
 * A test goes on the moment the condition holds, never after a fixed sleep that is either too long
 * or, on a loaded machine, too short.
 */
export async function until<T>(
  what: string,
  condition: () => Promise<T | undefined | false>,
  { timeoutMs = 15_000, pauseMs = 50 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await condition();
    if (answer !== undefined && answer !== false) return answer;
    if (Date.now() >= deadline) throw new Error(`waited ${timeoutMs} ms for ${what}`);
    await sleep(pauseMs);
  }
}
