import type { Orm } from "../../db/connect.ts";
import type { HotStatements } from "../../db/hot-statements.ts";
import type { Clock } from "../clock.ts";
import type { Logger } from "../log.ts";
import { currentActor } from "./access/actor-scope.ts";
import type { TokenRegistry } from "./access/token-registry.ts";
import { eventLogLevel } from "./event-log-level.ts";
import type { BrokerState } from "./broker-state.ts";
import type { BrokerEvent, EventLog, EventRefs } from "./event-log.ts";
import type { Requirement } from "./model.ts";
import type { JournalQuery, WriteJournal } from "./write-journal.ts";

export interface EngineSettings {
  /** A waiting session without a request or heartbeat for this long is dropped. */
  waitingTimeoutMs: number;
  /** An active session without a request or heartbeat for this long is dropped and its hosts freed. */
  activeTimeoutMs: number;
  /** A host whose agent has not polled for this long turns offline. */
  agentOfflineAfterMs: number;
  /** What happens to an active session holding a host that went offline. */
  offlinePolicy: "keep" | "fail";
  /** How long a host may stay offline before its lab deploys and destroys fail, and (with offlinePolicy `fail`) its sessions end `host-lost`. */
  offlineGraceMs: number;
  /** The one requirement of a Remote Lab compat session. */
  compatRequirement: Omit<Requirement, "role">;
  /** How often the reaper runs, time events (reservations, walltimes, scheduled labs) fire, and last-seen times are persisted. */
  housekeepingIntervalMs: number;
  /** Bound for a lab deploy (and destroy) on the host. */
  labDeployTimeoutMs: number;
  /** Walltime of sessions that do not ask for one (null: none, they run until released). */
  defaultWalltimeMs: number | null;
  /** The longest walltime a session may have. */
  maxWalltimeMs: number;
  /** How long before its walltime ends a session gets a warning event. */
  walltimeWarningMs: number;
  /** Sessions that may wait in the queue or as reservations at once; more are refused with 429. */
  maxWaitingSessions: number;
  /** Raw history (events, work items and their output, lab files, job output) is kept this long after its session ended. */
  retentionMs: number;
  /** Ended sessions with their jobs' results, labs and device changes are kept this long. */
  summaryRetentionMs: number;
  /** How often old history is deleted (in small batches) and its space reclaimed. */
  retentionIntervalMs: number;
  /** Warm labs (reset, deployed, held by no session) a host keeps at most; 0: labs are never kept warm. */
  warmLabsPerHost: number;
  /** How long a warm lab waits for a session that wants it before it is destroyed. */
  warmLabTtlMs: number;
}

export const DEFAULT_ENGINE_SETTINGS: EngineSettings = {
  waitingTimeoutMs: 600_000,
  activeTimeoutMs: 300_000,
  agentOfflineAfterMs: 60_000,
  offlinePolicy: "keep",
  offlineGraceMs: 120_000,
  compatRequirement: { labels: {}, runtime: null, host: null },
  housekeepingIntervalMs: 250,
  labDeployTimeoutMs: 20 * 60_000,
  defaultWalltimeMs: null,
  maxWalltimeMs: 7 * 24 * 3_600_000,
  walltimeWarningMs: 60_000,
  maxWaitingSessions: 10_000,
  retentionMs: 30 * 86_400_000,
  summaryRetentionMs: 365 * 86_400_000,
  retentionIntervalMs: 60_000,
  warmLabsPerHost: 2,
  warmLabTtlMs: 30 * 60_000,
};

/** Everything an engine verb needs; verbs read `state` at call time (it is replaced after a failed commit). */
export interface EngineContext {
  orm: Orm;
  statements: HotStatements;
  state: BrokerState;
  journal: WriteJournal;
  events: EventLog;
  clock: Clock;
  log: Logger;
  settings: EngineSettings;
  startedAt: number;
  /** Aborted when the broker shuts down: long polls and streams end. */
  shutdown: AbortSignal;
  /** What readiness looks at: when the housekeeping loop last finished a round (null: not yet). */
  health: { housekeepingRoundAt: number | null };
  /**
   * sha256 of enrollment tokens accepted besides the stored one (`serve`'s own agent). The stored
   * one is read at each registration, so `labbroker enroll-token rotate` takes effect at once.
   */
  extraEnrollmentTokenHashes: string[];
  /** The API tokens that may authenticate, by hash. */
  tokens: TokenRegistry;
}

/**
 * One unit of work: the statements and events of a verb. `commit()` hands them to the group
 * commit and resolves when they are durable; events reach listeners only then.
 */
export class Change {
  readonly #ctx: EngineContext;
  readonly #queries: JournalQuery[] = [];
  readonly #events: BrokerEvent[] = [];
  readonly #afterCommit: (() => void)[] = [];

  constructor(ctx: EngineContext) {
    this.#ctx = ctx;
  }

  write(query: JournalQuery): void {
    this.#queries.push(query);
  }

  emit(type: string, refs: EventRefs, data: Record<string, unknown> = {}): void {
    const { event, query } = this.#ctx.events.create(this.#ctx.statements, this.#ctx.clock.now(), type, refs, data, currentActor());
    this.#events.push(event);
    this.#queries.push(query);
  }

  /** Runs `callback` once the change is durable (to wake waiters for what it wrote). */
  afterCommit(callback: () => void): void {
    this.#afterCommit.push(callback);
  }

  commit(): Promise<void> {
    if (this.#queries.length === 0) {
      for (const callback of this.#afterCommit) callback();
      return Promise.resolve();
    }
    const published = this.#events;
    const callbacks = this.#afterCommit;
    return this.#ctx.journal.write(this.#queries, () => {
      // Logged only now: a change whose commit failed never happened.
      for (const event of published) logEvent(this.#ctx.log, event);
      this.#ctx.events.publish(published);
      for (const callback of callbacks) callback();
    });
  }
}

function logEvent(log: Logger, event: BrokerEvent): void {
  const { id, at: _at, type, data, actor, ...refs } = event;
  const presentRefs = Object.fromEntries(Object.entries(refs).filter(([, value]) => value));
  log[eventLogLevel(event)]("event", { type, eventId: id, actor, ...presentRefs, ...data });
}
