import { type Clock, sleepOn } from "../clock.ts";
import { AGENT_RETRY_MAX_S } from "../protocol/poll-timing.ts";
import type { Logger } from "../log.ts";

const FIRST_RETRY_MS = 500;

/**
 * Retrying the broker forever: each failed attempt is logged with its number and the wait before
 * the next, the wait doubles up to a few seconds (so a link that comes back is used soon), and the
 * first success after failures is logged as a reconnect with how long the broker was unreachable.
 */
export class Reconnect {
  #failures = 0;
  #failingSince: number | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  /** Logs the failure, then waits before the next attempt (returns at once when `signal` aborts). */
  async failed(what: string, error: unknown, signal: AbortSignal): Promise<void> {
    this.#failingSince ??= this.clock.now();
    this.#failures += 1;
    const retryInMs = Math.min(FIRST_RETRY_MS * 2 ** (this.#failures - 1), AGENT_RETRY_MAX_S * 1000);
    this.log.warn(`cannot ${what}; retrying`, {
      attempt: this.#failures,
      error: error instanceof Error ? error.message : String(error),
      retryInMs,
    });
    await sleepOn(this.clock, retryInMs, signal);
  }

  succeeded(): void {
    if (this.#failingSince === null) return;
    this.log.info("reconnected to the broker", { failedAttempts: this.#failures, unreachableForMs: this.clock.now() - this.#failingSince });
    this.#failures = 0;
    this.#failingSince = null;
  }
}
