import { afterEach, beforeEach, expect, test } from "bun:test";
import { runHousekeeping } from "../../src/engine/housekeeping.ts";
import { call } from "../support/api-helpers.ts";
import { createTestApp, type TestApp } from "../support/test-broker.ts";

let broker: TestApp;
beforeEach(async () => {
  broker = await createTestApp();
});
afterEach(async () => {
  await broker.close();
});

test("ready after start; not ready when housekeeping stops running, ready again after a round", async () => {
  const ready = await call(broker, "GET", "/readyz");
  expect(ready.status).toBe(200);
  expect(ready.json).toMatchObject({
    ready: true,
    checks: { database: { ok: true }, migrations: { ok: true }, scheduler: { ok: true, detail: "starting" } },
  });

  broker.clock.advance(10_000);
  const late = await call(broker, "GET", "/readyz");
  expect(late.status).toBe(503);
  expect(late.json.checks.scheduler).toEqual({ ok: false, detail: "housekeeping has not run since the broker started" });
  expect((await call(broker, "GET", "/healthz")).status).toBe(204);

  await runHousekeeping(broker.ctx);
  expect((await call(broker, "GET", "/readyz")).status).toBe(200);
});

test("not ready while changes cannot be stored (a full disk), though /healthz still answers", async () => {
  const realRun = broker.db.writer.run;
  broker.db.writer.run = async () => {
    throw new Error("database or disk is full");
  };
  const failing = await call(broker, "GET", "/readyz");
  expect(failing.status).toBe(503);
  expect(failing.json.checks.database.ok).toBe(false);
  expect(failing.json.checks.database.detail).toContain("cannot be stored");
  expect((await call(broker, "GET", "/healthz")).status).toBe(204);

  broker.db.writer.run = realRun;
  await broker.ctx.journal.settled();
  expect((await call(broker, "GET", "/readyz")).status).toBe(200);
});

test("not ready on a database migrated by a newer broker", async () => {
  await broker.db.client.execute("INSERT INTO __drizzle_migrations (hash, created_at) VALUES ('from-the-future', 99999999999999)");
  const answer = await call(broker, "GET", "/readyz");
  expect(answer.status).toBe(503);
  expect(answer.json.checks.migrations.detail).toContain("newer than this broker");
});
