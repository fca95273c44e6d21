import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { runHousekeeping } from "../../src/engine/housekeeping.ts";
import { call, registerHost } from "../support/api-helpers.ts";
import { createTestApp, type TestApp } from "../support/test-broker.ts";

let broker: TestApp;
beforeEach(async () => {
  broker = await createTestApp({ waitingTimeoutMs: 600_000, activeTimeoutMs: 300_000, agentOfflineAfterMs: 3_600_000 });
});
afterEach(async () => {
  await broker.close();
});

const newSession = async () => (await call(broker, "POST", "/session")).json as { session_id: string; position: number };

describe("Remote Lab session API", () => {
  test("POST /session answers 201 with session_id and position; FIFO positions while the host is held", async () => {
    await registerHost(broker, "lab-1");
    const first = await call(broker, "POST", "/session");
    expect(first.status).toBe(201);
    expect(first.json).toEqual({ session_id: expect.any(String), position: 0 });
    const second = await newSession();
    const third = await newSession();
    expect([second.position, third.position]).toEqual([1, 2]);

    expect((await call(broker, "GET", `/session/${first.json.session_id}`)).json).toEqual({ status: "active", position: 0 });
    expect((await call(broker, "GET", `/session/${third.session_id}`)).json).toEqual({ status: "waiting", position: 2 });
  });

  test("DELETE /session/{id} answers 204 and promotes the next session in line", async () => {
    await registerHost(broker, "lab-1");
    const first = await newSession();
    const second = await newSession();
    const third = await newSession();
    const deleted = await call(broker, "DELETE", `/session/${first.session_id}`);
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe("");
    expect((await call(broker, "GET", `/session/${second.session_id}`)).json).toEqual({ status: "active", position: 0 });
    expect((await call(broker, "GET", `/session/${third.session_id}`)).json).toEqual({ status: "waiting", position: 1 });
    expect((await call(broker, "GET", `/session/${first.session_id}`)).status).toBe(404);
  });

  test("an expired active session frees the host for the next one at once", async () => {
    await registerHost(broker, "lab-1");
    const first = await newSession();
    const second = await newSession();
    broker.clock.advance(250_000);
    expect((await call(broker, "POST", "/session/heartbeat", { headers: { "x-session-id": second.session_id } })).status).toBe(204);
    broker.clock.advance(60_000);
    await runHousekeeping(broker.ctx);
    expect((await call(broker, "GET", `/session/${first.session_id}`)).status).toBe(404);
    expect((await call(broker, "GET", `/session/${second.session_id}`)).json).toEqual({ status: "active", position: 0 });
  });

  test("GET /session/{id} refreshes last-seen: a polling waiter is never dropped", async () => {
    const waiter = await newSession();
    for (let step = 0; step < 5; step++) {
      broker.clock.advance(500_000);
      expect((await call(broker, "GET", `/session/${waiter.session_id}`)).status).toBe(200);
      await runHousekeeping(broker.ctx);
    }
    expect((await call(broker, "GET", `/session/${waiter.session_id}`)).json.status).toBe("waiting");
  });

  test("unknown sessions are 404 with the Remote Lab detail", async () => {
    for (
      const [method, path] of [
        ["GET", "/session/nope"],
        ["DELETE", "/session/nope"],
      ] as const
    ) {
      const response = await call(broker, method, path);
      expect(response.status).toBe(404);
      expect(response.json).toEqual({ detail: "Session not found" });
    }
    const heartbeat = await call(broker, "POST", "/session/heartbeat", { headers: { "x-session-id": "nope" } });
    expect(heartbeat.status).toBe(404);
    expect(heartbeat.json).toEqual({ detail: "Session not found" });
  });

  test("POST /session/heartbeat without X-Session-ID is 422 in FastAPI's shape", async () => {
    const response = await call(broker, "POST", "/session/heartbeat");
    expect(response.status).toBe(422);
    expect(response.json).toEqual({ detail: [{ type: "missing", loc: ["header", "x-session-id"], msg: "Field required", input: null }] });
  });

  test("GET /active-session names the oldest active session, or 404", async () => {
    const none = await call(broker, "GET", "/active-session");
    expect(none.status).toBe(404);
    expect(none.json).toEqual({ detail: "No active session" });
    await registerHost(broker, "lab-1");
    await registerHost(broker, "lab-2");
    const first = await newSession();
    broker.clock.advance(1000);
    await newSession();
    expect((await call(broker, "GET", "/active-session")).json).toEqual({ session_id: first.session_id, status: "active", position: 0 });
  });

  test("GET /healthz is 204 and GET /debug/health counts sessions and the queue", async () => {
    expect((await call(broker, "GET", "/healthz")).status).toBe(204);
    await registerHost(broker, "lab-1");
    await newSession();
    await newSession();
    await newSession();
    broker.clock.advance(5_000);
    const health = await call(broker, "GET", "/debug/health");
    expect(health.status).toBe(200);
    expect(health.json).toEqual({ status: "ok", timestamp: broker.clock.now() / 1000, uptime: 5, sessions: 3, queue_length: 2 });
  });
});
