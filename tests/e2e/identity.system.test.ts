import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { VERSION } from "../../src/version.ts";
import { compiledBinary } from "../support/compiled-binary.ts";
import { http } from "../support/http.ts";
import { eventually } from "../support/wait-for.ts";
import { CLUSTER_TOKEN, LabCluster } from "../support/lab-cluster.ts";
import { isRoot, NEEDS_ROOT } from "../support/native-labs.ts";
import { environmentWithoutLabbroker } from "../support/processes.ts";
import { TEST_ADMIN_TOKEN } from "../support/test-broker.ts";
import { uniquelyNamed } from "../support/unique-topology.ts";

setDefaultTimeout(90_000);

const ADMIN = `lbt_acceptance-${randomBytes(8).toString("hex")}`;
const HOST = `id-${randomBytes(3).toString("hex")}`;
const LINE3 = uniquelyNamed(readFileSync(join(import.meta.dir, "../fixtures/line3.clab.yml"), "utf8"));
const cluster = new LabCluster(await compiledBinary());
afterAll(() => cluster.stop());

const as = (token: string | null) => ({ authorization: token ? `Bearer ${token}` : "" });

/** `labbroker token create NAME --role ROLE` with the compiled binary, as the admin: the token it prints. */
async function createToken(name: string, role: string): Promise<string> {
  const command = Bun.spawn([await compiledBinary(), "token", "create", name, "--role", role], {
    env: { ...environmentWithoutLabbroker(), LABBROKER_URL: cluster.url, LABBROKER_TOKEN: ADMIN },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [code, stdout, stderr] = await Promise.all([
    command.exited,
    new Response(command.stdout).text(),
    new Response(command.stderr).text(),
  ]);
  expect({ code, stderr }).toEqual({ code: 0, stderr: expect.stringContaining(`Token "${name}" (${role}`) });
  return stdout.trim();
}

describe.skipIf(!isRoot)(`identity and access with the compiled binary${isRoot ? "" : ` (${NEEDS_ROOT}: the agent runs jobs)`}`, () => {
  test("started with --admin-token on loopback: anonymous is 401; user A runs jobs in its session; user B sees none of it and cannot end it; a viewer cannot run jobs", async () => {
    await cluster.startBroker(["--admin-token", ADMIN]);
    await cluster.startAgent({ name: HOST });
    const anonymous = await http("POST", `${cluster.url}/v1/sessions`, {}, as(null));
    expect(anonymous.status).toBe(401);
    // The flag wins over LABBROKER_ADMIN_TOKEN, which the test processes also get.
    expect((await http("GET", `${cluster.url}/v1/whoami`, undefined, as(TEST_ADMIN_TOKEN))).status).toBe(401);
    const alice = await createToken("alice", "user");
    const bob = await createToken("bob", "user");
    const viewer = await createToken("screen", "viewer");

    const session = (await http("POST", `${cluster.url}/v1/sessions`, { requirements: [{ host: HOST }] }, as(alice))).json;
    expect(session).toMatchObject({ state: "active", owner: "alice" });
    const job = await http("POST", `${cluster.url}/v1/sessions/${session.id}/jobs`, { argv: ["id", "-u"] }, as(alice));
    expect(job.json).toMatchObject({ passed: true, stdout: "0\n" });
    const lab = await http(
      "POST",
      `${cluster.url}/v1/labs`,
      { session_id: session.id, topology: LINE3, topology_file: "line3.clab.yml" },
      as(alice),
    );
    expect(lab.status).toBe(202);

    const base = `${cluster.url}/v1/sessions/${session.id}`;
    for (
      const [method, url] of [
        ["GET", base],
        ["GET", `${base}/jobs`],
        ["GET", `${cluster.url}/v1/jobs/${job.json.id}`],
        ["GET", `${base}/hosts/m1/files?path=/etc/hostname`],
        ["GET", `${cluster.url}/v1/labs/${lab.json.id}`],
        ["DELETE", base],
      ] as const
    ) {
      const refused = await http(method, url, undefined, as(bob));
      expect(`${method} ${url} ${refused.status}`).toBe(`${method} ${url} 404`);
    }
    expect((await http("GET", base, undefined, as(alice))).json.state).toBe("active");
    // Listings show everyone's sessions (nothing in them grants access).
    expect((await http("GET", `${cluster.url}/v1/sessions`, undefined, as(viewer))).json.items.map((item: { id: string }) => item.id))
      .toContain(session.id);
    expect((await http("POST", `${base}/jobs`, { argv: ["true"] }, as(viewer))).status).toBe(403);

    // Without Last-Event-ID a stream starts now: tail=20 replays alice's last events first.
    const events = await fetch(`${cluster.url}/v1/events?actor=alice&tail=20`, { headers: as(ADMIN) });
    const reader = events.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    expect(first).toContain('"actor":"alice"');
    expect((await http("DELETE", base, undefined, as(alice))).status).toBe(200);
  });

  test("the agent's token read by a job dies with the session; the enrollment token alone does not take the host over", async () => {
    const alice = (await http("POST", `${cluster.url}/v1/tokens`, { name: "thief", role: "user" }, as(ADMIN))).json.token;
    const session = await cluster.session(HOST, as(alice));
    const agentFile = join(cluster.root, `agent-${HOST}`, "agent.json");
    const read = await http("POST", `${cluster.url}/v1/sessions/${session.id}/jobs`, { argv: ["cat", agentFile] }, as(alice));
    const stolen = JSON.parse(read.json.stdout) as { agent_id: string; agent_token: string };
    const poll = () => http("POST", `${cluster.url}/v1/agents/${stolen.agent_id}/poll`, { wait_s: 0 }, as(stolen.agent_token));
    expect((await poll()).status).toBe(200);
    const takeover = await http(
      "POST",
      `${cluster.url}/v1/agents/register`,
      { name: HOST, version: VERSION, runtimes: [] },
      as(CLUSTER_TOKEN),
    );
    expect([takeover.status, takeover.json.detail]).toEqual([401, expect.stringContaining("does not hold its current credential")]);

    expect((await http("DELETE", `${cluster.url}/v1/sessions/${session.id}`, undefined, as(alice))).status).toBe(200);
    await eventually(async () => (await poll()).status === 401, "the stolen agent token to stop working");
    // The agent itself carries on with its new token.
    const next = await cluster.session(HOST, as(alice));
    expect((await http("POST", `${cluster.url}/v1/sessions/${next.id}/jobs`, { argv: ["true"] }, as(alice))).json.passed).toBe(true);
    expect(readFileSync(agentFile, "utf8")).not.toContain(stolen.agent_token);
    await http("DELETE", `${cluster.url}/v1/sessions/${next.id}`, undefined, as(alice));
  });
});
