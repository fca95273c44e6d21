import { afterEach, expect, test } from "bun:test";
import { UnavailableError } from "../../src/engine/errors.ts";
import { runHousekeeping } from "../../src/engine/housekeeping.ts";
import { createLogger } from "../../src/log.ts";
import { createTestEngine, type TestEngine } from "../support/test-engine.ts";

let engine: TestEngine;
afterEach(async () => {
  await engine?.close();
});

/** Routes the engine's log into a list of parsed lines. */
function captureLog(target: TestEngine): { level: string; msg: string; type?: string; reason?: string }[] {
  const lines: { level: string; msg: string }[] = [];
  target.ctx.log = createLogger({ level: "debug", write: (line) => lines.push(JSON.parse(line)) });
  return lines;
}

test("an event is logged once its change is committed, never for a change whose commit failed", async () => {
  engine = await createTestEngine();
  await engine.addHost("only");
  const lines = captureLog(engine);
  const realRun = engine.db.writer.run;
  engine.db.writer.run = async () => {
    throw new Error("disk full");
  };
  await expect(engine.requestSession()).rejects.toThrow(UnavailableError);
  await engine.ctx.journal.settled();
  expect(lines.filter((line) => line.msg === "event")).toEqual([]);

  engine.db.writer.run = realRun;
  const session = await engine.requestSession();
  expect(lines.filter((line) => line.msg === "event").map((line) => [line.level, line.type])).toEqual([
    ["info", "session.created"],
    ["info", "session.activated"],
  ]);
  expect(lines.find((line) => line.type === "session.created")).toMatchObject({ sessionId: session.id });
});

test("failures are warnings: a session reaped for silence, a host gone offline", async () => {
  engine = await createTestEngine({ activeTimeoutMs: 1_000, agentOfflineAfterMs: 5_000 });
  await engine.addHost("only");
  await engine.requestSession();
  const lines = captureLog(engine);
  engine.clock.advance(6_000);
  await runHousekeeping(engine.ctx);
  const warnings = lines.filter((line) => line.level === "warn").map((line) => [line.type, line.reason ?? null]);
  expect(warnings).toContainEqual(["session.ended", "expired"]);
  expect(warnings).toContainEqual(["host.offline", null]);
  expect(lines.filter((line) => line.type === "session.ended" && line.level !== "warn")).toEqual([]);
});
