import type { EngineContext } from "../engine/context.ts";
import type { Logger } from "../log.ts";
import type { StreamGate } from "./streams/stream-gate.ts";

/** What route handlers may use: the engine's context (verbs take it), the logger and the bound on open event streams. */
export interface RouteDeps {
  engine: EngineContext;
  log: Logger;
  streams: StreamGate;
}
