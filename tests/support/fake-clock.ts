import type { Clock } from "../../src/clock.ts";

interface PendingTimer {
  dueAt: number;
  order: number;
  callback: () => void;
}

/** A clock that only moves when the test says so; timers fire in due order during `advance`. */
export class FakeClock implements Clock {
  #now: number;
  #timers = new Set<PendingTimer>();
  #order = 0;

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimer(ms: number, callback: () => void): () => void {
    const timer = { dueAt: this.#now + Math.max(0, ms), order: this.#order++, callback };
    this.#timers.add(timer);
    return () => this.#timers.delete(timer);
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way, in order. */
  advance(ms: number): void {
    const target = this.#now + ms;
    for (;;) {
      const next = this.#nextDue(target);
      if (!next) break;
      this.#timers.delete(next);
      this.#now = next.dueAt;
      next.callback();
    }
    this.#now = target;
  }

  get pendingTimers(): number {
    return this.#timers.size;
  }

  /** How far from now each pending timer is due, in ms, soonest first: tells one waiting timer from another. */
  get pendingDelays(): number[] {
    return [...this.#timers].map((timer) => timer.dueAt - this.#now).sort((a, b) => a - b);
  }

  #nextDue(limit: number): PendingTimer | undefined {
    let best: PendingTimer | undefined;
    for (const timer of this.#timers) {
      if (timer.dueAt > limit) continue;
      if (!best || timer.dueAt < best.dueAt || (timer.dueAt === best.dueAt && timer.order < best.order)) best = timer;
    }
    return best;
  }
}
