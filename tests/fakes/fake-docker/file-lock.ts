import { mkdirSync, rmSync, statSync } from "node:fs";

const RETRY_MS = 10;
const STALE_AFTER_MS = 30_000;

/**
 * Runs `work` while holding a lock directory (mkdir is atomic), so concurrent fake processes —
 * two `netlab up` in parallel, say — do not lose each other's state updates. A lock older than
 * 30 s is taken to belong to a killed process and is broken.
 */
export function withFileLock<T>(lockPath: string, work: () => T): T {
  for (;;) {
    try {
      mkdirSync(lockPath);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      if (lockAgeMs(lockPath) > STALE_AFTER_MS) rmSync(lockPath, { recursive: true, force: true });
      else sleepSync(RETRY_MS);
    }
  }
  try {
    return work();
  } finally {
    rmSync(lockPath, { recursive: true, force: true });
  }
}

/** Blocks the (single-threaded) fake without burning CPU; `Infinity` blocks for good. */
export function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function lockAgeMs(lockPath: string): number {
  try {
    return Date.now() - statSync(lockPath).mtimeMs;
  } catch {
    return 0;
  }
}
