import { afterEach, expect, test } from "bun:test";
import { UnavailableError } from "../../src/engine/errors.ts";
import { createTestEngine, type TestEngine } from "../support/test-engine.ts";

let engine: TestEngine;
afterEach(async () => {
  await engine?.close();
});

test("a failed commit answers 503, rebuilds memory from the database, and later writes work", async () => {
  engine = await createTestEngine();
  await engine.addHost("only");
  const kept = await engine.requestSession();
  const realRun = engine.db.writer.run;
  let failNext = true;
  engine.db.writer.run = async (statements) => {
    if (failNext) {
      failNext = false;
      throw new Error("disk full");
    }
    return realRun(statements);
  };
  await expect(engine.requestSession()).rejects.toThrow(UnavailableError);
  await engine.ctx.journal.settled();
  expect([...engine.ctx.state.sessions.keys()]).toEqual([kept.id]);
  const next = await engine.requestSession();
  expect(engine.ctx.state.sessions.get(next.id)?.state).toBe("waiting");
  const rows = await engine.db.client.execute("SELECT count(*) AS n FROM sessions");
  expect(Number(rows.rows[0]?.n)).toBe(2);
});
