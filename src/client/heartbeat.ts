import type { LabBrokerError } from "./errors.ts";

const MIN_INTERVAL_MS = 200;
const MAX_INTERVAL_MS = 30_000;

/**
 * Keeps a session alive from the background: a heartbeat every third of the time the broker
 * allows without one (read from the session's `last_seen_at`/`expires_at`, so a broker with short
 * timeouts gets faster beats). The timer does not keep the process alive: a script that exits
 * without ending its session simply stops beating and the broker reaps the session.
 */
export class Heartbeat {
  readonly #beat: () => Promise<void>;
  readonly #windowMs: () => number;
  readonly #onLost: (error: LabBrokerError) => void;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #running = false;

  constructor(beat: () => Promise<void>, windowMs: () => number, onLost: (error: LabBrokerError) => void) {
    this.#beat = beat;
    this.#windowMs = windowMs;
    this.#onLost = onLost;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#schedule();
  }

  stop(): void {
    this.#running = false;
    clearTimeout(this.#timer);
  }

  #schedule(): void {
    const interval = Math.min(MAX_INTERVAL_MS, Math.max(MIN_INTERVAL_MS, this.#windowMs() / 3));
    this.#timer = setTimeout(() => void this.#tick(), interval);
    (this.#timer as { unref?: () => void }).unref?.();
  }

  async #tick(): Promise<void> {
    try {
      await this.#beat();
    } catch (error) {
      // The session is gone (ended or reaped): beating on is pointless. Anything else (broker restarting, network) is retried.
      if ((error as LabBrokerError).code === "not-found") {
        this.stop();
        this.#onLost(error as LabBrokerError);
        return;
      }
    }
    if (this.#running) this.#schedule();
  }
}
