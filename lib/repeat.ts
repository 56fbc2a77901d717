/**
 * Runs a round now and again `intervalMs` after each round ends (rounds never overlap), until
 * the signal aborts. Returns the round in flight, for a stop() that waits for it. Each round
 * handles its own errors: a rejected round still schedules the next one.
 */
export function repeatUntilAborted(
  round: () => Promise<void>,
  intervalMs: number,
  signal: AbortSignal,
): () => Promise<void> {
  let current: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const tick = (): void => {
    current = round()
      .catch(() => undefined)
      .finally(() => {
        if (!signal.aborted) timer = setTimeout(tick, intervalMs);
      });
  };
  signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
  if (!signal.aborted) tick();
  return () => current;
}
