import type { EngineContext } from "../engine/context.ts";
import type { Logger } from "../log.ts";

/** What route handlers may use: the engine's context (verbs take it) and the logger. */
export interface RouteDeps {
  engine: EngineContext;
  log: Logger;
}
