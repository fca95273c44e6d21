import { afterEach, expect, test } from "bun:test";
import { runHousekeeping } from "../../src/engine/housekeeping.ts";
import { whileSessionBusy } from "../../src/engine/sessions/keep-alive.ts";
import { createTestEngine, type TestEngine } from "../support/test-engine.ts";

let engine: TestEngine;
afterEach(async () => {
  await engine?.close();
});

test("a session waiting on a long request is not reaped, and counts as seen when the request ends", async () => {
  engine = await createTestEngine({ activeTimeoutMs: 300_000 });
  const host = await engine.addHost("only");
  const session = await engine.requestSession();
  let finish!: () => void;
  const request = whileSessionBusy(engine.ctx, session.id, () => new Promise<void>((resolve) => (finish = resolve)));
  engine.clock.advance(600_000);
  host.lastSeenAt = engine.clock.now();
  await runHousekeeping(engine.ctx);
  expect(session.state).toBe("active");
  finish();
  await request;
  expect(session.lastSeenAt).toBe(engine.clock.now());
  engine.clock.advance(300_001);
  host.lastSeenAt = engine.clock.now();
  await runHousekeeping(engine.ctx);
  expect(session.state).toBe("ended");
});
