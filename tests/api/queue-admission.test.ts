import { afterEach, beforeEach, expect, test } from "bun:test";
import { call, registerHost } from "../support/api-helpers.ts";
import { createTestApp, type TestApp } from "../support/test-broker.ts";

let broker: TestApp;
beforeEach(async () => {
  broker = await createTestApp({ maxWaitingSessions: 3 });
});
afterEach(async () => {
  await broker.close();
});

const sessionRows = async () => Number((await broker.db.client.execute("SELECT count(*) FROM sessions")).rows[0]?.[0]);

test("a full queue refuses new sessions with 429 and Retry-After, on /v1 and on the Remote Lab route, and stores nothing", async () => {
  for (let index = 0; index < 3; index++) expect((await call(broker, "POST", "/v1/sessions", { body: {} })).json.state).toBe("waiting");
  const refused = await call(broker, "POST", "/v1/sessions", { body: {} });
  expect(refused.status).toBe(429);
  expect(refused.headers.get("retry-after")).toBe("30");
  expect(refused.headers.get("content-type")).toBe("application/problem+json");
  expect(refused.json.detail).toContain("The queue is full: 3 sessions are waiting or reserved");

  const compat = await call(broker, "POST", "/session");
  expect(compat.status).toBe(429);
  expect(compat.json).toEqual({ detail: expect.stringContaining("The queue is full") });
  expect(await sessionRows()).toBe(3);

  const first = (await call(broker, "GET", "/v1/sessions?state=waiting")).json.items[0];
  await call(broker, "DELETE", `/v1/sessions/${first.id}`);
  expect((await call(broker, "POST", "/v1/sessions", { body: {} })).status).toBe(201);
});

test("reservations count toward the bound", async () => {
  await registerHost(broker, "h1");
  await registerHost(broker, "h2");
  const pinned = { requirements: [{ host: "h1" }] };
  expect((await call(broker, "POST", "/v1/sessions", { body: pinned })).json.state).toBe("active");
  for (let index = 0; index < 2; index++) expect((await call(broker, "POST", "/v1/sessions", { body: pinned })).json.state).toBe("waiting");
  const startAt = new Date(broker.clock.now() + 3_600_000).toISOString();
  const reservation = await call(broker, "POST", "/v1/sessions", {
    body: { requirements: [{ host: "h2" }], start_at: startAt, walltime_s: 60 },
  });
  expect(reservation.json.state).toBe("scheduled");
  expect((await call(broker, "POST", "/v1/sessions", { body: pinned })).status).toBe(429);
});
