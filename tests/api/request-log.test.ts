import { afterEach, expect, test } from "bun:test";
import { type OpenBrokerApp, openBrokerApp } from "../../src/broker.ts";
import { DEFAULT_ENGINE_SETTINGS } from "../../src/engine/context.ts";
import { createLogger } from "../../src/log.ts";
import { VERSION } from "../../src/version.ts";
import { FakeClock } from "../support/fake-clock.ts";
import { TEST_ADMIN_TOKEN } from "../support/test-broker.ts";
import { TEST_ENROLL_TOKEN } from "../support/test-engine.ts";

let broker: OpenBrokerApp | undefined;
afterEach(async () => {
  await broker?.close();
});

test("probes and agents' long polls are logged at debug while they succeed; other requests at info", async () => {
  const lines: { level: string; msg: string; path?: string; status?: number }[] = [];
  broker = await openBrokerApp({
    database: { db: ":memory:", dbSync: "normal" },
    log: createLogger({ level: "debug", write: (line) => lines.push(JSON.parse(line)) }),
    clock: new FakeClock(),
    settings: DEFAULT_ENGINE_SETTINGS,
    enrollToken: TEST_ENROLL_TOKEN,
    adminToken: TEST_ADMIN_TOKEN,
    housekeeping: false,
  });
  const request = (path: string, token: string, body?: unknown) =>
    broker!.app.request(path, {
      method: body === undefined ? "GET" : "POST",
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const registered = await (await request("/v1/agents/register", TEST_ENROLL_TOKEN, { name: "h1", version: VERSION, runtimes: [] }))
    .json() as {
      agent_id: string;
      agent_token: string;
    };
  expect((await request(`/v1/agents/${registered.agent_id}/poll`, registered.agent_token, { running: [], wait_s: 0 })).status).toBe(200);
  expect((await request(`/v1/agents/${registered.agent_id}/poll`, "lba_wrong", { running: [], wait_s: 0 })).status).toBe(401);
  expect((await request("/healthz", TEST_ADMIN_TOKEN)).status).toBe(204);
  expect((await request("/v1/hosts", TEST_ADMIN_TOKEN)).status).toBe(200);

  const logged = lines.filter((line) => line.msg === "request").map((
    line,
  ) => [line.level, line.path!.replace(registered.agent_id, "ID"), line.status]);
  expect(logged).toEqual([
    ["info", "/v1/agents/register", 201],
    ["debug", "/v1/agents/ID/poll", 200],
    ["info", "/v1/agents/ID/poll", 401],
    ["debug", "/healthz", 204],
    ["info", "/v1/hosts", 200],
  ]);
});
