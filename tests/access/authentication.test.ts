import { afterEach, describe, expect, test } from "bun:test";
import { call, registerHost } from "../support/api-helpers.ts";
import { createTestApp, TEST_ADMIN_TOKEN, type TestApp } from "../support/test-broker.ts";

let broker: TestApp;
afterEach(() => broker?.close());

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

describe("credentials", () => {
  test("without a token: 401 with WWW-Authenticate, problem+json on /v1 and {detail} on Remote Lab routes; probes and the API document stay open", async () => {
    broker = await createTestApp();
    const native = await broker.anonymousApp.request("/v1/sessions", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect([native.status, native.headers.get("www-authenticate"), native.headers.get("content-type")]).toEqual([
      401,
      'Bearer realm="labbroker"',
      "application/problem+json",
    ]);
    const compat = await broker.anonymousApp.request("/session", { method: "POST" });
    expect([compat.status, compat.headers.get("www-authenticate"), await compat.json()]).toEqual([401, 'Basic realm="labbroker"', {
      detail: expect.stringContaining("needs a token"),
    }]);
    for (const path of ["/healthz", "/openapi.json", "/", "/docs"]) {
      expect((await broker.anonymousApp.request(path)).status).toBeLessThan(300);
    }
  });

  test("an unauthenticated upload is refused from its headers: the body is never read", async () => {
    broker = await createTestApp();
    let pulled = 0;
    const body = new ReadableStream({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(1024 * 1024));
      },
    });
    const response = await broker.anonymousApp.request(
      "/v1/labs",
      { method: "POST", headers: { "content-type": "multipart/form-data; boundary=x" }, body, duplex: "half" } as RequestInit,
    );
    expect(response.status).toBe(401);
    expect(pulled).toBeLessThanOrEqual(1);
  });

  test("HTTP Basic with the token as password (Remote Lab URLs), or as user name, and Bearer all authenticate; a wrong or revoked one is 401", async () => {
    broker = await createTestApp();
    const created = (await call(broker, "POST", "/v1/tokens", { body: { name: "ci", role: "user" } })).json;
    expect(created).toMatchObject({ name: "ci", role: "user", created_by: "admin", revoked_at: null });
    for (const authorization of [`Bearer ${created.token}`, basic("anyone", created.token), basic(created.token, "")]) {
      expect((await call(broker, "GET", "/v1/whoami", { headers: { authorization } })).json).toMatchObject({ name: "ci", role: "user" });
    }
    expect((await call(broker, "GET", "/v1/whoami", { headers: { authorization: basic("ci", "lbt_wrong") } })).status).toBe(401);
    const stored = await broker.db.client.execute("SELECT token_hash FROM api_tokens WHERE name = 'ci'");
    expect(String(stored.rows[0]?.token_hash)).toMatch(/^[0-9a-f]{64}$/);
    expect((await call(broker, "GET", "/v1/tokens")).text).not.toContain(created.token);
    expect((await call(broker, "DELETE", "/v1/tokens/ci")).json.revoked_at).not.toBeNull();
    expect((await call(broker, "GET", "/v1/whoami", { headers: { authorization: `Bearer ${created.token}` } })).status).toBe(401);
  });

  test("an expired token is 401; a token name is not given twice while live", async () => {
    broker = await createTestApp();
    const expiresAt = new Date(broker.clock.now() + 60_000).toISOString();
    const created = (await call(broker, "POST", "/v1/tokens", { body: { name: "short", role: "viewer", expires_at: expiresAt } })).json;
    expect((await call(broker, "POST", "/v1/tokens", { body: { name: "short", role: "viewer" } })).status).toBe(409);
    expect((await call(broker, "GET", "/v1/hosts", { headers: { authorization: `Bearer ${created.token}` } })).status).toBe(200);
    broker.clock.advance(60_001);
    expect((await call(broker, "GET", "/v1/hosts", { headers: { authorization: `Bearer ${created.token}` } })).status).toBe(401);
  });

  test("--anonymous read lets anonymous clients list but not act; user lets them act as one shared anonymous owner", async () => {
    broker = await createTestApp({}, ":memory:", { access: { anonymous: "read" } });
    await registerHost(broker, "lab-1");
    const anonymous = (method: string, path: string, body?: unknown) =>
      call(broker, method, path, { ...(body ? { body } : {}), headers: { authorization: "" } });
    expect((await anonymous("GET", "/v1/hosts")).status).toBe(200);
    expect((await anonymous("POST", "/v1/sessions", {})).status).toBe(403);
    await broker.close();
    broker = await createTestApp({}, ":memory:", { access: { anonymous: "user" } });
    await registerHost(broker, "lab-1");
    const session = (await call(broker, "POST", "/v1/sessions", { body: {}, headers: { authorization: "" } })).json;
    expect(session).toMatchObject({ state: "active", owner: "anonymous" });
    expect((await call(broker, "POST", `/v1/sessions/${session.id}/heartbeat`, { headers: { authorization: "" } })).status).toBe(204);
  });
});

describe("what a token may ask for", () => {
  test("priority above 0 and reservations need rights an admin grants; the answer names the right", async () => {
    broker = await createTestApp();
    await registerHost(broker, "lab-1");
    const plain = (await call(broker, "POST", "/v1/tokens", { body: { name: "plain", role: "user" } })).json.token;
    const trusted =
      (await call(broker, "POST", "/v1/tokens", { body: { name: "trusted", role: "user", max_priority: 5, max_walltime_s: 3600 } })).json
        .token;
    const as = (token: string, body: unknown) =>
      call(broker, "POST", "/v1/sessions", { body, headers: { authorization: `Bearer ${token}` } });
    const startAt = new Date(broker.clock.now() + 3_600_000).toISOString();
    const priority = await as(plain, { priority: 1 });
    expect([priority.status, priority.json.detail]).toEqual([
      403,
      expect.stringContaining("priority 1 is above this token's maximum of 0"),
    ]);
    const reservation = await as(plain, { start_at: startAt, walltime_s: 600 });
    expect([reservation.status, reservation.json.detail]).toEqual([403, expect.stringContaining("may not reserve hosts")]);
    expect((await as(trusted, { start_at: startAt, walltime_s: 7200 })).status).toBe(403);
    expect((await as(trusted, { start_at: startAt, walltime_s: 3600, priority: 5 })).status).toBe(201);
    expect((await call(broker, "GET", "/v1/sessions")).json.items.map((item: { owner: string }) => item.owner)).toEqual(["trusted"]);
    expect((await call(broker, "POST", "/v1/sessions", { body: { priority: 100 } })).status).toBe(201);
  });
});

describe("audit", () => {
  test("events name their actor: the token, the agent, or the system; /v1/events?actor= keeps one actor's", async () => {
    broker = await createTestApp();
    const agent = await registerHost(broker, "lab-1");
    await call(broker, "POST", "/v1/tokens", { body: { name: "alice", role: "user" } });
    const rows = await broker.db.client.execute("SELECT type, actor FROM events ORDER BY id");
    expect(rows.rows.map((row) => [row.type, row.actor])).toEqual([
      ["host.registered", "agent:lab-1"],
      ["token.created", "admin"],
    ]);
    // Without Last-Event-ID a stream starts now: tail=10 replays the last ten of that actor first.
    const stream = await broker.app.request("/v1/events?actor=admin&tail=10");
    const reader = stream.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    expect(first).toContain('"type":"token.created"');
    expect(first).toContain('"actor":"admin"');
    expect(first).not.toContain("host.registered");
    expect(agent.agent_id).toBeTruthy();
  });
});

test("the admin token given at start replaces the stored one; the bootstrap admin is named admin", async () => {
  broker = await createTestApp();
  expect((await call(broker, "GET", "/v1/whoami", { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } })).json).toMatchObject({
    name: "admin",
    role: "admin",
    max_priority: null,
  });
});
