import type { EngineContext } from "../engine/context.ts";
import type { Logger } from "../log.ts";
import type { Serializer } from "../serializer.ts";
import type { StreamGate } from "./streams/stream-gate.ts";

/** What route handlers may use: the engine's context (verbs take it), the logger, and the bounds on event streams. */
export interface RouteDeps {
  engine: EngineContext;
  log: Logger;
  streams: StreamGate;
  /** Event streams read their stored history one page at a time through this, in turn. */
  replayPages: Serializer;
}
