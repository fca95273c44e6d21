import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { call, registerHost } from "../support/api-helpers.ts";
import { createTestApp, type TestApp } from "../support/test-broker.ts";

let broker: TestApp;
let sessionId: string;
beforeEach(async () => {
  broker = await createTestApp();
  await registerHost(broker, "lab-1");
  sessionId = (await call(broker, "POST", "/session")).json.session_id;
});
afterEach(async () => {
  await broker.close();
});

const GOOD =
  'name: tiny\ntopology:\n  nodes:\n    a: {kind: linux}\n    b: {kind: linux}\n  links:\n    - endpoints: ["a:eth1", "b:eth1"]\n';

function upload(topology: string, name = "tiny.clab.yml", extras: [string, string][] = []) {
  const form = new FormData();
  form.append("topology", new File([topology], name));
  for (const [path, content] of extras) form.append("extra_files", new File([content], path));
  return broker.app.request("/lab", { method: "POST", headers: { "x-session-id": sessionId }, body: form });
}

async function nothingStored() {
  const labs = Number((await broker.db.client.execute("SELECT count(*) AS n FROM labs")).rows[0]?.n);
  const files = Number((await broker.db.client.execute("SELECT count(*) AS n FROM lab_files")).rows[0]?.n);
  const work = Number((await broker.db.client.execute("SELECT count(*) AS n FROM work_items WHERE kind = 'deploy-lab'")).rows[0]?.n);
  return labs === 0 && files === 0 && work === 0 && broker.ctx.state.labs.live().length === 0;
}

const bomb = [
  "a: &a [x,x,x,x,x,x,x,x,x]",
  "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]",
  "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]",
  "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]",
  "e: [*d,*d,*d,*d,*d,*d,*d,*d,*d]",
].join("\n");

describe("unsafe or invalid lab uploads are a clear 400 and store nothing", () => {
  test.each([
    ["a traversing extra file name", () => upload(GOOD, "tiny.clab.yml", [["../../etc/cron.d/evil", "x"]]), "Unsafe file name"],
    ["an absolute extra file name", () => upload(GOOD, "tiny.clab.yml", [["/etc/passwd", "x"]]), "Unsafe file name"],
    ["a backslash path", () => upload(GOOD, "tiny.clab.yml", [["..\\..\\x", "x"]]), "Unsafe file name"],
    ["a wrong extension", () => upload(GOOD, "tiny.json"), "must end in .yml or .yaml"],
    ["an oversized topology", () => upload(`name: big\n# ${"x".repeat(1_100_000)}\n`), "larger than"],
    ["a YAML alias bomb", () => upload(bomb), "cannot be expanded safely"],
    [
      "a duplicate interface",
      () => upload(GOOD.replace('["a:eth1", "b:eth1"]', '["a:eth1", "b:eth1"]\n    - endpoints: ["a:eth1", "b:eth2"]')),
      "eth1",
    ],
    ["a link to an unknown node", () => upload(GOOD.replace('"b:eth1"', '"zz:eth1"')), "zz"],
    ["neither containerlab nor netlab", () => upload("just: text\n"), "neither a containerlab topology"],
    [
      "a netlab name that would leave the lab folder",
      () => upload("name: ../../../../etc/x\nnodes: [r1]\n", "topology.yml"),
      "is not a usable lab name",
    ],
  ])("%s", async (_label, send, mentioned) => {
    const response = await send();
    expect(response.status).toBe(400);
    const body = (await response.json()) as { detail: string };
    expect(body.detail).toContain(mentioned);
    expect(await nothingStored()).toBe(true);
  });

  test("a netlab topology outside the native subset on a host without netlab is a 422 naming what is missing", async () => {
    const response = await upload("nodes: [r1, r2]\nlinks: [r1-r2]\n", "topology.yml");
    expect(response.status).toBe(422);
    expect(((await response.json()) as { detail: string }).detail).toBe(
      'Host "lab-1" has no netlab, and this netlab topology is outside the native runtime\'s netlab subset: nodes.r1.device (not set, and no defaults.device), nodes.r2.device (not set, and no defaults.device)',
    );
    expect(await nothingStored()).toBe(true);
  });

  test("a waiting session gets 423 and an unknown one 404, with the Remote Lab details", async () => {
    const waiting = (await call(broker, "POST", "/session")).json.session_id;
    const locked = await broker.app.request("/lab", { method: "POST", headers: { "x-session-id": waiting }, body: new FormData() });
    expect(locked.status).toBe(423);
    expect(await locked.json()).toEqual({ detail: "Session is not active" });
    const unknown = await broker.app.request("/lab", { method: "GET", headers: { "x-session-id": "nope" } });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ detail: "Session not found" });
    const missing = await broker.app.request("/lab", { method: "GET" });
    expect(missing.status).toBe(422);
  });

  test("the JSON form of /v1/labs applies the same checks", async () => {
    const response = await call(broker, "POST", "/v1/labs", {
      body: { session_id: sessionId, topology: GOOD, extra_files: [{ path: "../x", content_base64: "eA==" }] },
    });
    expect(response.status).toBe(400);
    expect(response.json.detail).toContain("Unsafe file name");
    const nul = await call(broker, "POST", "/v1/labs", {
      body: { session_id: sessionId, topology: GOOD, extra_files: [{ path: "conf\u0000ig", content_base64: "eA==" }] },
    });
    expect(nul.status).toBe(400);
    expect(nul.json.detail).toBe("body.extra_files.0.path: path must not contain NUL bytes");
    expect(await nothingStored()).toBe(true);
  });
});

describe("/v1/labs takes multipart too", () => {
  test("a multipart upload deploys; a bad field in it is a 400", async () => {
    const session = (await call(broker, "POST", "/v1/sessions", { body: { requirements: [{ host: "lab-1" }] } })).json;
    await call(broker, "DELETE", `/session/${sessionId}`);
    const form = (runtime?: string) => {
      const body = new FormData();
      body.append("session_id", session.id);
      if (runtime) body.append("runtime", runtime);
      body.append("topology", new File([GOOD], "tiny.clab.yml"));
      return body;
    };
    const bad = await broker.app.request("/v1/labs", { method: "POST", body: form("docker") });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { detail: string }).detail).toStartWith("body.runtime:");
    const noTopology = new FormData();
    noTopology.append("session_id", session.id);
    const missing = await broker.app.request("/v1/labs", { method: "POST", body: noTopology });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { detail: string }).detail).toBe("body.topology: Field required");
    const plain = await broker.app.request("/v1/labs", {
      method: "POST",
      body: new TextEncoder().encode(JSON.stringify({ session_id: session.id })),
    });
    expect(plain.status).toBe(415);
    expect(await nothingStored()).toBe(true);
    const created = await broker.app.request("/v1/labs", { method: "POST", body: form() });
    expect(created.status).toBe(202);
    expect(await created.json()).toMatchObject({ state: "deploying", topology_file: "tiny.clab.yml", session_id: session.id });
  });
});
