/** Node's timers hold at most 2^31-1 ms (24.8 days); a longer delay fires at once instead of late. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Resolves `true` after `ms`, however long, by chaining timers no longer than Node can hold; resolves `false` at once
 * if `signal` aborts first. Timers are unref'd: a pending wait alone never keeps the process alive.
 */
export function longSleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    let timer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const arm = (remaining: number) => {
      timer = setTimeout(
        () => {
          if (remaining > MAX_TIMER_MS) return arm(remaining - MAX_TIMER_MS);
          signal?.removeEventListener("abort", onAbort);
          resolve(true);
        },
        Math.max(0, Math.min(remaining, MAX_TIMER_MS)),
      );
      timer.unref?.();
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    arm(ms);
  });
}
