import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { PROTOCOL_VERSION } from "../../src/protocol/protocol-version.ts";
import { VERSION } from "../../src/version.ts";
import { call, registerHost } from "../support/api-helpers.ts";
import { createTestApp, type TestApp } from "../support/test-broker.ts";
import { TEST_ENROLL_TOKEN } from "../support/test-engine.ts";

let broker: TestApp;
beforeEach(async () => {
  broker = await createTestApp();
});
afterEach(async () => {
  await broker.close();
});

const hostRows = async () => Number((await broker.db.client.execute("SELECT count(*) AS n FROM hosts")).rows[0]?.n);
const registration = (overrides: Record<string, unknown> = {}) => ({
  name: "lab-7",
  version: VERSION,
  runtimes: [{ name: "native", version: null }],
  ...overrides,
});

describe("agent registration", () => {
  test("creates a host; the same name re-attaches to the same host with a new token", async () => {
    const first = await registerHost(broker, "lab-7", { labels: { site: "a" }, capacity: 2 });
    expect(first.reattached).toBe(false);
    expect(first.agent_token).toStartWith("lba_");
    const stored = await broker.db.client.execute("SELECT agent_token_hash FROM hosts");
    expect(String(stored.rows[0]?.agent_token_hash)).not.toContain(first.agent_token);

    const withoutCredential = await call(broker, "POST", "/v1/agents/register", {
      headers: { authorization: `Bearer ${TEST_ENROLL_TOKEN}` },
      body: registration({ name: "lab-7" }),
    });
    expect([withoutCredential.status, withoutCredential.json.detail]).toEqual([
      401,
      expect.stringContaining("does not hold its current credential"),
    ]);
    const second = await registerHost(broker, "lab-7", { labels: { site: "b" }, current_agent_token: first.agent_token });
    expect(second).toMatchObject({ agent_id: first.agent_id, reattached: true });
    expect(await hostRows()).toBe(1);
    const oldTokenPoll = await call(broker, "POST", `/v1/agents/${first.agent_id}/poll`, {
      headers: { authorization: `Bearer ${first.agent_token}` },
      body: { wait_s: 0 },
    });
    expect(oldTokenPoll.status).toBe(401);
    const poll = await call(broker, "POST", `/v1/agents/${first.agent_id}/poll`, {
      headers: { authorization: `Bearer ${second.agent_token}` },
      body: { wait_s: 0 },
    });
    expect(poll.status).toBe(200);
  });

  test("a wrong or missing enrollment token is 401 and registers nothing", async () => {
    for (const headers of [{ authorization: "Bearer not-the-token" }, {}] as Record<string, string>[]) {
      const response = await call(broker, "POST", "/v1/agents/register", { headers, body: registration() });
      expect(response.status).toBe(401);
      expect(response.json.detail).toContain("enrollment token is wrong");
    }
    expect(await hostRows()).toBe(0);
  });

  test("another major version is 409 naming both versions", async () => {
    const response = await call(broker, "POST", "/v1/agents/register", {
      headers: { authorization: `Bearer ${TEST_ENROLL_TOKEN}` },
      body: registration({ version: "99.0.0" }),
    });
    expect(response.status).toBe(409);
    expect(response.json.detail).toBe(`Agent version 99.0.0 cannot work with broker version ${VERSION}: the major versions must match`);
    expect(await hostRows()).toBe(0);
  });

  test("another protocol version is 409 naming both; the broker's own, or none (an agent older than it), registers", async () => {
    const headers = { authorization: `Bearer ${TEST_ENROLL_TOKEN}` };
    const refused = await call(broker, "POST", "/v1/agents/register", {
      headers,
      body: registration({ protocol_version: PROTOCOL_VERSION + 1 }),
    });
    expect(refused.status).toBe(409);
    expect(refused.json.detail).toBe(
      `Agent version ${VERSION} speaks protocol version ${PROTOCOL_VERSION + 1}; broker version ${VERSION} speaks protocol version ` +
        `${PROTOCOL_VERSION}: run an agent that speaks protocol version ${PROTOCOL_VERSION}`,
    );
    expect(await hostRows()).toBe(0);
    const current = await call(broker, "POST", "/v1/agents/register", {
      headers,
      body: registration({ protocol_version: PROTOCOL_VERSION }),
    });
    expect(current.status).toBe(201);
    const unversioned = await call(broker, "POST", "/v1/agents/register", {
      headers,
      body: registration({ name: "lab-2" }),
    });
    expect(unversioned.status).toBe(201);
    expect(await hostRows()).toBe(2);
  });

  test.each([
    ["a bad name", { name: "../etc" }],
    ["an unknown runtime", { runtimes: [{ name: "vagrant", version: null }] }],
    ["a zero capacity", { capacity: 0 }],
    ["an unknown field", { colour: "red" }],
    ["a bad version", { version: "latest" }],
  ])("malformed registration (%s) is 400 and registers nothing", async (_label, overrides) => {
    const response = await call(broker, "POST", "/v1/agents/register", {
      headers: { authorization: `Bearer ${TEST_ENROLL_TOKEN}` },
      body: registration(overrides),
    });
    expect(response.status).toBe(400);
    expect(await hostRows()).toBe(0);
  });

  test("polls for an unknown agent are 404; with a wrong token 401", async () => {
    const agent = await registerHost(broker, "lab-1");
    expect((await call(broker, "POST", "/v1/agents/nope/poll", { headers: { authorization: `Bearer ${agent.agent_token}` } })).status).toBe(
      404,
    );
    expect((await call(broker, "POST", `/v1/agents/${agent.agent_id}/poll`, { headers: { authorization: "Bearer lba_wrong" } })).status)
      .toBe(401);
  });
});

describe("/v1/hosts", () => {
  test("lists hosts and shows holders", async () => {
    await registerHost(broker, "b-host");
    await registerHost(broker, "a-host");
    const session = (await call(broker, "POST", "/v1/sessions", { body: { requirements: [{ host: "b-host" }] } })).json;
    const listed = await call(broker, "GET", "/v1/hosts");
    expect(listed.json.items.map((host: { name: string }) => host.name)).toEqual(["a-host", "b-host"]);
    expect(listed.json.items[1]).toMatchObject({ state: "online", used: 1, holders: [session.id], capacity: 1 });
    expect((await call(broker, "GET", "/v1/hosts/b-host")).json.holders).toEqual([session.id]);
  });

  test("PATCH merges admin labels, overrides capacity, drains and sets maintenance", async () => {
    const agent = await registerHost(broker, "lab-1", { labels: { site: "a", legacy: "yes" } });
    const patched = await call(broker, "PATCH", `/v1/hosts/${agent.agent_id}`, {
      body: { labels: { rack: "r12", site: "b" }, capacity: 3, drain: true },
    });
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({
      labels: { site: "b", legacy: "yes", rack: "r12" },
      capacity: 3,
      capacity_override: 3,
      state: "draining",
    });
    const cleared = await call(broker, "PATCH", "/v1/hosts/lab-1", {
      body: { labels: { site: null }, capacity: null, drain: false, maintenance: true },
    });
    expect(cleared.json).toMatchObject({ labels: { site: "a", legacy: "yes", rack: "r12" }, capacity: 1, state: "maintenance" });
    const released = await call(broker, "PATCH", "/v1/hosts/lab-1", { body: { reenroll: true } });
    expect(released.status).toBe(200);
    const oldTokenPoll = await call(broker, "POST", `/v1/agents/${agent.agent_id}/poll`, {
      headers: { authorization: `Bearer ${agent.agent_token}` },
      body: { wait_s: 0 },
    });
    expect(oldTokenPoll.status).toBe(401);
    const reattached = await registerHost(broker, "lab-1", { labels: { site: "c" } });
    expect((await call(broker, "GET", `/v1/hosts/${reattached.agent_id}`)).json).toMatchObject({
      labels: { site: "c", rack: "r12" },
      maintenance: true,
    });
  });

  test("drain and maintenance keep their reason, who set it and when, until the host is back in service; a reason alone is 400", async () => {
    await registerHost(broker, "lab-1");
    const drained = await call(broker, "PATCH", "/v1/hosts/lab-1", { body: { drain: true, reason: "replacing a NIC", by: "alice" } });
    expect(drained.json).toMatchObject({
      state: "draining",
      admin_reason: "replacing a NIC",
      admin_reason_by: "admin (alice)",
      admin_reason_at: new Date(broker.clock.now()).toISOString(),
    });
    broker.clock.advance(60_000);
    const maintenance = await call(broker, "PATCH", "/v1/hosts/lab-1", { body: { drain: false, maintenance: true, by: "bob" } });
    expect(maintenance.json).toMatchObject({
      state: "maintenance",
      admin_reason: "replacing a NIC",
      admin_reason_by: "admin (bob)",
      admin_reason_at: new Date(broker.clock.now()).toISOString(),
    });
    const relabelled = await call(broker, "PATCH", "/v1/hosts/lab-1", { body: { labels: { rack: "r1" } } });
    expect(relabelled.json).toMatchObject({ admin_reason: "replacing a NIC", admin_reason_by: "admin (bob)" });
    const lonely = await call(broker, "PATCH", "/v1/hosts/lab-1", { body: { reason: "no state change" } });
    expect(lonely.status).toBe(400);
    expect(lonely.json.detail).toContain("reason");
    const back = await call(broker, "PATCH", "/v1/hosts/lab-1", { body: { maintenance: false } });
    expect(back.json).toMatchObject({ state: "online", admin_reason: null, admin_reason_by: null, admin_reason_at: null });
    const stored = await broker.db.client.execute("SELECT admin_reason FROM hosts");
    expect(stored.rows[0]?.admin_reason).toBeNull();
  });

  test("bad PATCH input is 400 and changes nothing; an unknown host is 404", async () => {
    const agent = await registerHost(broker, "lab-1");
    for (const body of [{ capacity: -1 }, { drain: "yes" }, { owner: "me" }]) {
      const response = await call(broker, "PATCH", `/v1/hosts/${agent.agent_id}`, { body });
      expect(response.status).toBe(400);
    }
    expect((await call(broker, "GET", "/v1/hosts/lab-1")).json).toMatchObject({ state: "online", capacity: 1, admin_labels: {} });
    expect((await call(broker, "PATCH", "/v1/hosts/nope", { body: { drain: true } })).status).toBe(404);
  });
});
