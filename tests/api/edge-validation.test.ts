import { afterEach, describe, expect, test } from "bun:test";
import { workItems } from "../../db/schema.ts";
import { call, registerHost } from "../support/api-helpers.ts";
import { createTestApp, type TestApp } from "../support/test-broker.ts";

const apps: TestApp[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

async function brokerWithHost(capacity = 1) {
  const app = await createTestApp();
  apps.push(app);
  await registerHost(app, "edge-host", { capacity });
  return app;
}

const newSession = async (app: TestApp) => (await call(app, "POST", "/v1/sessions", { body: {} })).json as { id: string; state: string };
const jobsOf = async (app: TestApp, sessionId: string) =>
  (await call(app, "GET", `/v1/sessions/${sessionId}/jobs`)).json.items as { number: number }[];
const topology = (name: string, extra = "") => `name: ${name}\n${extra}topology:\n  nodes:\n    r1: { kind: linux }\n`;

/** The field paths a 400 names. */
const fieldsOf = (response: { json: { errors?: { path: string }[]; field?: string } }) =>
  response.json.errors?.map((error) => error.path) ?? [response.json.field];

describe("jobs refused at the edge: 400 naming the field, nothing stored, no job number used", () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ["a relative cwd", { argv: ["true"], cwd: "relative/dir" }, "cwd"],
    ["NUL in argv", { argv: ["ec\u0000ho"] }, "argv.0"],
    ["a namespace that is a path", { argv: ["true"], netns: "../../proc/1/ns/net" }, "netns"],
    ["a timeout too short to exist", { argv: ["true"], timeout_s: 1e-9 }, "timeout_s"],
    ["a timeout beyond the bound", { argv: ["true"], timeout_s: 1e308 }, "timeout_s"],
    ["a lone surrogate in the description", { argv: ["true"], description: "\ud800" }, "description"],
    ["NUL in an environment value", { argv: ["true"], env: { A: "x\u0000" } }, "env.A"],
  ];
  for (const [what, body, field] of cases) {
    test(what, async () => {
      const app = await brokerWithHost();
      const session = await newSession(app);
      const refused = await call(app, "POST", `/v1/sessions/${session.id}/jobs`, { body });
      expect(refused.status).toBe(400);
      expect(fieldsOf(refused)).toEqual([field]);
      expect(await jobsOf(app, session.id)).toEqual([]);
      const next = await call(app, "POST", `/v1/sessions/${session.id}/jobs`, { body: { argv: ["true"], background: true } });
      expect([next.status, next.json.number]).toEqual([202, 1]);
    });
  }
});

describe("sessions and labs refused at the edge", () => {
  test("walltimes must be finite and sane; names must be clean text", async () => {
    const app = await brokerWithHost();
    for (
      const [body, field] of [
        [{ walltime_s: 1e-9 }, "walltime_s"],
        [{ walltime_s: 1e308 }, "walltime_s"],
        [{ client: { name: "ci\u0000job" } }, "client.name"],
        [{ client: { name: "\udc00" } }, "client.name"],
        [{ requirements: [{ labels: { site: "a\ud800" } }] }, "requirements.0.labels.site"],
      ] as const
    ) {
      const refused = await call(app, "POST", "/v1/sessions", { body });
      expect([refused.status, fieldsOf(refused)]).toEqual([400, [field]]);
    }
    expect((await call(app, "GET", "/v1/sessions")).json.items).toEqual([]);
  });

  test("a lab name over the limit, invalid base64 and an empty prefix are 400s naming the field, and no lab is created", async () => {
    const app = await brokerWithHost();
    const session = await newSession(app);
    const lab = (body: Record<string, unknown>) =>
      call(app, "POST", "/v1/labs", { body: { session_id: session.id, runtime: "native", ...body } });
    const longName = await lab({ topology: topology("n".repeat(130)) });
    expect([longName.status, longName.json.field]).toEqual([400, "name"]);
    expect(longName.json.detail).toContain("1-64 letters");
    const badBase64 = await lab({ topology: topology("b64"), extra_files: [{ path: "conf/r1.cfg", content_base64: "not base64!" }] });
    expect([badBase64.status, fieldsOf(badBase64)]).toEqual([400, ["extra_files.0.content_base64"]]);
    const emptyPrefix = await lab({ topology: topology("bare", "prefix: ''\n") });
    expect([emptyPrefix.status, emptyPrefix.json.field]).toEqual([400, "prefix"]);
    expect((await call(app, "GET", `/v1/labs?session_id=${session.id}`)).json.items).toEqual([]);
  });

  test("device, sysctl and file fields are checked before the agent is asked", async () => {
    const app = await brokerWithHost();
    const session = await newSession(app);
    const base = `/v1/sessions/${session.id}/hosts/m1`;
    const refusals = [
      await call(app, "POST", `${base}/devices`, { body: { kind: "dummy", name: "a/b" } }),
      await call(app, "POST", `${base}/devices`, { body: { kind: "vlan", name: "v1", parent: "eth0", vlan_id: 5000 } }),
      await call(app, "POST", `${base}/devices`, { body: { kind: "bond", name: "b1", mode: "fastest" } }),
      await call(app, "POST", `${base}/devices?netns=../x`, { body: { kind: "dummy", name: "d1" } }),
      await call(app, "PATCH", `${base}/devices/eth0`, { body: { add_addresses: ["10.0.0.1"] } }),
      await call(app, "PUT", `${base}/sysctls/net.ipv4.ip_forward`, { body: { value: "1\u00002" } }),
      await call(app, "GET", `${base}/sysctls/..%2Fetc`),
      await call(app, "GET", `${base}/files?path=relative.txt`),
      await call(app, "GET", `${base}/files?path=/tmp/../etc/shadow`),
    ];
    expect(refusals.map((response) => response.status)).toEqual(Array(refusals.length).fill(400));
    expect(await app.ctx.orm.select().from(workItems)).toEqual([]);
  });
});

describe("sessions sharing a host", () => {
  /** Two active sessions on one capacity-2 host; the first has a running lab whose node lives in namespace `ns`. */
  async function twoSessionsAndALab() {
    const app = await brokerWithHost(2);
    const owner = await newSession(app);
    const other = await newSession(app);
    const created = await call(app, "POST", "/v1/labs", { body: { session_id: owner.id, runtime: "native", topology: topology("iso") } });
    const lab = app.ctx.state.labs.get(created.json.id)!;
    const ns = `clab-${lab.instanceName}-r1`;
    lab.state = "running";
    lab.nodes = [{ name: "r1", kind: "linux", state: "running", raw: { name: ns, netns: ns } }];
    return { app, owner, other, ns };
  }

  test("a session may enter its own labs' namespaces, never another session's (404) nor the host's own (403)", async () => {
    const { app, owner, other, ns } = await twoSessionsAndALab();
    const job = (sessionId: string, extra: Record<string, unknown>) =>
      call(app, "POST", `/v1/sessions/${sessionId}/jobs`, { body: { argv: ["true"], background: true, ...extra } });
    expect((await job(owner.id, { netns: ns })).status).toBe(202);
    const intruder = await job(other.id, { netns: ns });
    expect([intruder.status, intruder.json.detail]).toEqual([
      404,
      `Cannot find network namespace "${ns}" among the labs of session "${other.id}" on host "edge-host"`,
    ]);
    const onHost = await job(other.id, {});
    expect(onHost.status).toBe(403);
    expect(onHost.json.detail).toContain("only a session holding the whole host");
    const device = await call(app, "GET", `/v1/sessions/${other.id}/hosts/m1/devices?netns=${ns}`);
    expect(device.status).toBe(404);
    const veth = await call(app, "POST", `/v1/sessions/${other.id}/hosts/m1/devices?netns=${ns}`, {
      body: { kind: "veth", name: "v1", peer: "v2", peer_netns: ns },
    });
    expect(veth.status).toBe(404);
    expect(await jobsOf(app, other.id)).toEqual([]);
  });

  test("a session holding the whole host may use the host's own namespace", async () => {
    const app = await brokerWithHost(1);
    const session = await newSession(app);
    const job = await call(app, "POST", `/v1/sessions/${session.id}/jobs`, { body: { argv: ["true"], background: true } });
    expect(job.status).toBe(202);
  });
});

describe("warm lab fields refused at the edge: 400 naming the field, nothing stored", () => {
  test("keep_warm that is not a boolean", async () => {
    const app = await brokerWithHost();
    const session = await newSession(app);
    const response = await call(app, "POST", "/v1/labs", {
      body: { session_id: session.id, topology: topology("warm"), keep_warm: "yes" },
    });
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.json)).toContain("keep_warm");
    expect((await call(app, "GET", "/v1/labs")).json.items).toEqual([]);
  });

  test("warm_lab that is not a SHA-256", async () => {
    const app = await brokerWithHost();
    const response = await call(app, "POST", "/v1/sessions", { body: { requirements: [{ warm_lab: "not-a-hash" }] } });
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.json)).toContain("warm_lab");
    expect((await call(app, "GET", "/v1/sessions")).json.items).toEqual([]);
  });
});
