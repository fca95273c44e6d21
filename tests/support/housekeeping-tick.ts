import { runHousekeeping } from "../../src/engine/housekeeping.ts";
import { touchSession } from "../../src/engine/sessions/touch-session.ts";
import type { TestEngine } from "./test-engine.ts";

/** Moves the fake clock and lets housekeeping run, as the broker's timer would; sessions and hosts stay alive meanwhile. */
export async function tick(engine: TestEngine, ms: number): Promise<void> {
  engine.clock.advance(ms);
  for (const session of engine.ctx.state.sessions.all()) if (session.state !== "scheduled") touchSession(engine.ctx, session.id);
  for (const host of engine.ctx.state.hosts.all()) host.lastSeenAt = engine.clock.now();
  await runHousekeeping(engine.ctx);
}
