import type { EngineContext } from "../engine/context.ts";
import type { Logger } from "../log.ts";
import type { EventFanout } from "./streams/event-fanout.ts";
import type { HistoryPages } from "./streams/history-pages.ts";
import type { ReplayBudget } from "./streams/replay-budget.ts";
import type { StreamGate } from "./streams/stream-gate.ts";

/** What route handlers may use: the engine's context (verbs take it), the logger, and the bounds on event streams. */
export interface RouteDeps {
  engine: EngineContext;
  log: Logger;
  streams: StreamGate;
  /** Hands published events to live event streams. */
  fanout: EventFanout;
  /** Stored events for streams that replay history, a page at a time. */
  history: HistoryPages;
  /** Paces the streams that catch up on stored events, so requests are answered while they run. */
  replays: ReplayBudget;
}
