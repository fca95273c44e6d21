/** Time source for everything that depends on time, so tests can drive it without sleeping. */
export interface Clock {
  /** Milliseconds since the UNIX epoch. */
  now(): number;
  /** Calls `callback` after `ms`; the returned function cancels it. */
  setTimer(ms: number, callback: () => void): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(ms, callback) {
    const handle = setTimeout(callback, ms);
    return () => clearTimeout(handle);
  },
};

/** Resolves after `ms` on `clock`, or at once when `signal` aborts. */
export function sleepOn(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const finish = () => {
      cancel();
      signal?.removeEventListener("abort", finish);
      resolve();
    };
    const cancel = clock.setTimer(ms, finish);
    signal?.addEventListener("abort", finish, { once: true });
  });
}
