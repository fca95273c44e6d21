import { afterEach, beforeEach, expect, test } from "bun:test";
import { call, registerHost } from "../support/api-helpers.ts";
import { createTestApp, type TestApp } from "../support/test-broker.ts";

let broker: TestApp;
beforeEach(async () => {
  broker = await createTestApp();
  await registerHost(broker, "h1");
});
afterEach(async () => {
  await broker.close();
});

const createSession = async () => (await call(broker, "POST", "/v1/sessions", { body: { requirements: [{}] } })).json;

test("a recorded result shows in the summary timeline and in the chronological text, in order", async () => {
  const session = await createSession();
  const first = await call(broker, "POST", `/v1/sessions/${session.id}/results`, {
    body: { description: "throughput above 9 Gbit/s", result: "FAIL", data: { gbps: 3.2 } },
  });
  expect(first.status).toBe(201);
  expect(first.json).toMatchObject({
    session_id: session.id,
    description: "throughput above 9 Gbit/s",
    result: "FAIL",
    data: { gbps: 3.2 },
  });
  broker.clock.advance(1000);
  expect((await call(broker, "POST", `/v1/sessions/${session.id}/results`, { body: { description: "no drops", result: "PASS" } })).status)
    .toBe(201);

  const summary = (await call(broker, "GET", `/v1/sessions/${session.id}/summary`)).json;
  expect(summary.hosts).toEqual([]);
  expect(
    summary.timeline.map((
      entry: { kind: string; verdict: string; description: string; result: string },
    ) => [entry.kind, entry.verdict, entry.description, entry.result]),
  ).toEqual([
    ["result", "FAIL", "throughput above 9 Gbit/s", '{"gbps":3.2}'],
    ["result", "PASS", "no drops", ""],
  ]);
  const text = (await call(broker, "GET", `/v1/sessions/${session.id}/summary?format=text&view=chronological`)).text;
  expect(text).toBe(
    `${first.json.created_at} result: FAIL throughput above 9 Gbit/s — {"gbps":3.2}\n${
      new Date(Date.parse(first.json.created_at) + 1000).toISOString()
    } result: PASS no drops\n`,
  );
});

test("bad results are 400 naming the field; a waiting session gets 423, an ended one 409, and nothing is recorded", async () => {
  const session = await createSession();
  const bad = await call(broker, "POST", `/v1/sessions/${session.id}/results`, { body: { description: "", result: "MAYBE" } });
  expect(bad.status).toBe(400);
  expect(bad.json.detail).toContain("description");
  expect(bad.json.detail).toContain("result");
  const huge = await call(broker, "POST", `/v1/sessions/${session.id}/results`, {
    body: { description: "big", result: "PASS", data: "x".repeat(70_000) },
  });
  expect(huge.status).toBe(400);
  expect(huge.json.detail).toContain("data");
  const waiting = await createSession();
  expect((await call(broker, "POST", `/v1/sessions/${waiting.id}/results`, { body: { description: "early", result: "PASS" } })).status)
    .toBe(423);
  await call(broker, "DELETE", `/v1/sessions/${session.id}`);
  expect((await call(broker, "POST", `/v1/sessions/${session.id}/results`, { body: { description: "late", result: "PASS" } })).status).toBe(
    409,
  );
  expect(Number((await broker.db.client.execute("SELECT count(*) AS n FROM session_results")).rows[0]?.n)).toBe(0);
});
