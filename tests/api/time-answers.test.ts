import { afterEach, beforeEach, expect, test } from "bun:test";
import { call, registerHost } from "../support/api-helpers.ts";
import { createTestApp, type TestApp } from "../support/test-broker.ts";

let broker: TestApp;
beforeEach(async () => {
  broker = await createTestApp();
});
afterEach(async () => {
  await broker.close();
});

test("PATCH walltime that would end the session before now is 422 naming offset_walltime_s, and changes nothing", async () => {
  await registerHost(broker, "h1");
  const session = (await call(broker, "POST", "/v1/sessions", { body: { requirements: [{}], walltime_s: 50 } })).json;
  const refused = await call(broker, "PATCH", `/v1/sessions/${session.id}`, { body: { offset_walltime_s: -2000 } });
  expect(refused.status).toBe(422);
  expect(refused.json.detail).toContain("offset_walltime_s");
  expect((await call(broker, "GET", `/v1/sessions/${session.id}`)).json.walltime_s).toBe(50);
});

test("POST /v1/slots: a past start is not offered and says why; an unknown label is named; until before start_at is 400", async () => {
  await registerHost(broker, "h1");
  const past = new Date(broker.clock.now() - 3_600_000).toISOString();
  const tested = await call(broker, "POST", "/v1/slots", { body: { groups: [[{ role: "m1" }]], walltime_s: 60, start_at: past } });
  expect(tested.json).toMatchObject({
    available: false,
    start_at: null,
    reasons: [{ group: null, reason: expect.stringContaining("is before now") }],
  });
  const unknown = await call(broker, "POST", "/v1/slots", { body: { groups: [[{ role: "m1", labels: { nos: "eos" } }]], walltime_s: 60 } });
  expect(unknown.json.reasons).toEqual([{ group: 0, reason: "no registered host matches role m1 (labels nos=eos)" }]);
  const backwards = await call(broker, "POST", "/v1/slots", {
    body: { groups: [[{ role: "m1" }]], walltime_s: 60, start_at: new Date(broker.clock.now() + 60_000).toISOString(), until: past },
  });
  expect(backwards.status).toBe(400);
  expect(backwards.json.detail).toContain("until:");
  const found = await call(broker, "POST", "/v1/slots", {
    body: { groups: [[{ role: "m1" }]], walltime_s: 60, start_at: past, until: new Date(broker.clock.now() + 3_600_000).toISOString() },
  });
  expect(found.json).toMatchObject({ available: true, reasons: [] });
  expect(Date.parse(found.json.start_at)).toBeGreaterThanOrEqual(broker.clock.now());
});
