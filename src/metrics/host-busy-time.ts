import type { EngineContext } from "../engine/context.ts";
import type { Session } from "../engine/model.ts";
import type { BrokerMetrics } from "./broker-metrics.ts";

/**
 * Seconds each host is held by active sessions, as a counter: a hold is counted up to the last
 * scrape while it lasts, and its remainder when it ends, so the total only grows and never counts
 * a second twice.
 */
export class HostBusyTime {
  readonly #ctx: EngineContext;
  readonly #metrics: BrokerMetrics;
  /** Up to when each active session's hold has been counted. */
  readonly #countedUntil = new Map<string, number>();

  constructor(ctx: EngineContext, metrics: BrokerMetrics) {
    this.#ctx = ctx;
    this.#metrics = metrics;
  }

  /** Counts every active hold up to now (called when metrics are scraped). */
  countActiveHolds(now: number): void {
    for (const session of this.#ctx.state.sessions.all()) {
      if (session.state === "active") this.#count(session, now);
    }
  }

  holdEnded(session: Session, endedAt: number): void {
    this.#count(session, endedAt);
    this.#countedUntil.delete(session.id);
  }

  #count(session: Session, until: number): void {
    if (session.activatedAt === null) return;
    const from = Math.max(session.activatedAt, this.#countedUntil.get(session.id) ?? 0);
    if (until > from) {
      for (const hostId of Object.values(session.assignments ?? {})) {
        const host = this.#ctx.state.hosts.get(hostId);
        if (host) this.#metrics.hostBusySeconds.inc({ host: host.name }, (until - from) / 1000);
      }
    }
    this.#countedUntil.set(session.id, Math.max(from, until));
  }
}
