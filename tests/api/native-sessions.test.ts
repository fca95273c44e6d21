import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { call, registerHost } from "../support/api-helpers.ts";
import { readSse, SseReader } from "../support/sse.ts";
import { createTestApp, type TestApp } from "../support/test-broker.ts";

let broker: TestApp;
beforeEach(async () => {
  broker = await createTestApp();
});
afterEach(async () => {
  await broker.close();
});

async function rowCounts() {
  const sessions = await broker.db.client.execute("SELECT count(*) AS n FROM sessions");
  const events = await broker.db.client.execute("SELECT count(*) AS n FROM events");
  return { sessions: Number(sessions.rows[0]?.n), events: Number(events.rows[0]?.n), live: broker.ctx.state.sessions.liveCount };
}

describe("/v1/sessions", () => {
  test("create, get with hosts per role, list, heartbeat, end", async () => {
    await registerHost(broker, "frr-a", { labels: { nos: "frr" } });
    await registerHost(broker, "frr-b", { labels: { nos: "frr" } });
    const created = await call(broker, "POST", "/v1/sessions", {
      body: {
        requirements: [{ role: "r1", labels: { nos: "frr" } }, { role: "r2", labels: { nos: "frr" } }],
        client: { name: "suite-a", ci_job_id: "77" },
      },
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ state: "active", position: 0, wait_reason: null, client: { name: "suite-a", ci_job_id: "77" } });
    expect(Object.keys(created.json.hosts).sort()).toEqual(["r1", "r2"]);
    expect(new Set([created.json.hosts.r1.name, created.json.hosts.r2.name])).toEqual(new Set(["frr-a", "frr-b"]));

    const waiting = await call(broker, "POST", "/v1/sessions", { body: { requirements: [{ labels: { nos: "frr" } }] } });
    expect(waiting.json).toMatchObject({
      state: "waiting",
      position: 0,
      wait_reason: "all matching hosts are held by active sessions",
      requirements: [{ role: "m1" }],
    });

    const listed = await call(broker, "GET", "/v1/sessions?state=waiting");
    expect(listed.json.items.map((item: { id: string }) => item.id)).toEqual([waiting.json.id]);
    expect((await call(broker, "POST", `/v1/sessions/${waiting.json.id}/heartbeat`)).status).toBe(204);

    const ended = await call(broker, "DELETE", `/v1/sessions/${created.json.id}`);
    expect(ended.json).toMatchObject({ state: "ended", end_reason: "released", position: null });
    expect((await call(broker, "GET", `/v1/sessions/${waiting.json.id}`)).json.state).toBe("active");
    const again = await call(broker, "DELETE", `/v1/sessions/${created.json.id}`);
    expect(again.status).toBe(200);
    expect(again.json.end_reason).toBe("released");
    const history = await call(broker, "GET", "/v1/sessions?state=ended&client_name=suite-a");
    expect(history.json.items.map((item: { id: string }) => item.id)).toEqual([created.json.id]);
  });

  test("Idempotency-Key: a retried create returns the first session with 200", async () => {
    const first = await call(broker, "POST", "/v1/sessions", { body: {}, headers: { "idempotency-key": "pipeline-9-job-3" } });
    const retry = await call(broker, "POST", "/v1/sessions", { body: {}, headers: { "idempotency-key": "pipeline-9-job-3" } });
    expect(first.status).toBe(201);
    expect(retry.status).toBe(200);
    expect(retry.json.id).toBe(first.json.id);
    expect((await rowCounts()).sessions).toBe(1);
  });

  test("?strict=true refuses a session no host can serve with 422, naming why", async () => {
    await registerHost(broker, "native-only");
    const response = await call(broker, "POST", "/v1/sessions?strict=true", { body: { requirements: [{ runtime: "netlab" }] } });
    expect(response.status).toBe(422);
    expect(response.json.detail).toBe("This session can never start: no registered host has runtime netlab");
    expect((await rowCounts()).sessions).toBe(0);
  });

  test.each([
    ["an unknown field", { requirements: [{}], colour: "blue" }, "colour"],
    ["an unknown requirement field", { requirements: [{ nic: "x" }] }, "nic"],
    ["a wrong type", { priority: "high" }, "priority"],
    ["a priority above the bound", { priority: 1001 }, "priority"],
    ["a priority below the bound", { priority: -1001 }, "priority"],
    ["an unknown runtime", { requirements: [{ runtime: "docker" }] }, "runtime"],
    ["a duplicate role", { requirements: [{ role: "m1" }, { role: "m1" }] }, 'role "m1" appears twice'],
    ["no requirements", { requirements: [] }, "at least one host"],
  ])("%s is a 400 that names the field and changes nothing", async (_label, body, mentioned) => {
    const before = await rowCounts();
    const response = await call(broker, "POST", "/v1/sessions", { body });
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(response.json.title).toBe("Invalid request");
    expect(response.json.detail).toContain(mentioned);
    expect(await rowCounts()).toEqual(before);
  });

  test("malformed JSON and an oversized body are refused without a change", async () => {
    const before = await rowCounts();
    const malformed = await call(broker, "POST", "/v1/sessions", { body: "{not json" });
    expect(malformed.status).toBe(400);
    const huge = await call(broker, "POST", "/v1/sessions", { body: { client: { name: "x".repeat(300_000) } } });
    expect(huge.status).toBe(413);
    expect(huge.json.detail).toBe("Request body is larger than the limit of 262144 bytes");
    expect(await rowCounts()).toEqual(before);
  });

  test("unknown session ids are problem+json 404s", async () => {
    for (
      const [method, path] of [
        ["GET", "/v1/sessions/nope"],
        ["DELETE", "/v1/sessions/nope"],
        ["POST", "/v1/sessions/nope/heartbeat"],
      ] as const
    ) {
      const response = await call(broker, method, path);
      expect(response.status).toBe(404);
      expect(response.json).toMatchObject({ status: 404, title: "Not found" });
    }
  });
});

describe("/v1/sessions/{id}/events", () => {
  test("streams position, activation with hosts and the end; resumes after Last-Event-ID without loss", async () => {
    await registerHost(broker, "only");
    const holder = (await call(broker, "POST", "/v1/sessions", { body: {} })).json;
    const waiter = (await call(broker, "POST", "/v1/sessions", { body: {} })).json;
    const stream = new SseReader(await broker.app.request(`/v1/sessions/${waiter.id}/events`));
    const beforeActivation = [await stream.next(), await stream.next()];
    await call(broker, "DELETE", `/v1/sessions/${holder.id}`);
    const activation = await stream.next();
    await call(broker, "DELETE", `/v1/sessions/${waiter.id}`);
    const messages = [...beforeActivation, activation, ...(await stream.rest())].map((message) => message!);
    const types = messages.map((message) => message.event);
    expect(types).toEqual(["session.created", "position", "session.activated", "session.ended"]);
    // Who holds the wanted host, and no estimate: the holder has no walltime and the pool no history.
    expect(JSON.parse(messages[1]!.data)).toEqual({
      position: 0,
      reason: "all matching hosts are held by active sessions",
      unsatisfiable: false,
      estimated_start_at: null,
      held_by: [{ host: "only", session_id: holder.id, client: {}, since: new Date(broker.clock.now()).toISOString() }],
    });
    expect(JSON.parse(messages[2]!.data).data.hosts.m1.name).toBe("only");
    expect(JSON.parse(messages[3]!.data).data.reason).toBe("released");

    const resumed = await readSse(
      await broker.app.request(`/v1/sessions/${waiter.id}/events`, { headers: { "last-event-id": messages[2]!.id! } }),
    );
    expect(resumed.map((message) => message.event)).toEqual(["session.ended"]);
    expect(resumed[0]!.id).toBe(messages[3]!.id);
  });
});
